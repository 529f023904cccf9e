import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFilesystem } from './read-filesystem.js';
import { layerOf, tarOf, type TarEntry } from './testing/tar-fixtures.js';
import type { FileSelector } from './types.js';

/**
 * The merged view against a model written the way layer.md states it: a layer is the lower
 * filesystem minus its whiteouts, plus its own entries in order. Layers are generated with
 * whiteouts first, as layer.md asks producers to write them; orders the spec leaves open are
 * covered by example tests.
 */

const NAMES = ['a', 'b', 'c'];
const ALL_PATHS = (() => {
  const out: string[] = [];
  const walk = (prefix: string, depth: number) => {
    for (const name of NAMES) {
      const path = `${prefix}/${name}`;
      out.push(path);
      if (depth < 3) walk(path, depth + 1);
    }
  };
  walk('', 1);
  return out;
})();

type Op =
  | { op: 'file'; path: string }
  | { op: 'dir'; path: string }
  | { op: 'whiteout'; path: string }
  | { op: 'opaque'; path: string };

const pathArb = fc.constantFrom(...ALL_PATHS);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: pathArb.map((path) => ({ op: 'file' as const, path })) },
  { weight: 2, arbitrary: pathArb.map((path) => ({ op: 'dir' as const, path })) },
  { weight: 2, arbitrary: pathArb.map((path) => ({ op: 'whiteout' as const, path })) },
  { weight: 1, arbitrary: pathArb.map((path) => ({ op: 'opaque' as const, path })) },
);
const layerArb = fc
  .array(opArb, { maxLength: 12 })
  .map((ops) => [
    ...ops.filter((o) => o.op === 'whiteout' || o.op === 'opaque'),
    ...ops.filter((o) => o.op === 'file' || o.op === 'dir'),
  ]);

interface ModelNode {
  kind: 'file' | 'dir';
  content?: string;
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

function removeTree(model: Map<string, ModelNode>, path: string, keepRoot = false): void {
  for (const key of [...model.keys()]) {
    if ((key === path && !keepRoot) || key.startsWith(`${path}/`)) model.delete(key);
  }
}

function isDirectory(model: Map<string, ModelNode>, path: string): boolean {
  return path === '' || model.get(path)?.kind === 'dir';
}

function applyLayer(model: Map<string, ModelNode>, ops: Op[], layer: number): void {
  for (const { op, path } of ops) {
    const parent = parentOf(path);
    if (op === 'whiteout' && isDirectory(model, parent)) removeTree(model, path);
    if (op === 'opaque' && isDirectory(model, path)) removeTree(model, path, true);
  }
  ops.forEach(({ op, path }, index) => {
    if (op !== 'file' && op !== 'dir') return;
    const ancestors = path
      .split('/')
      .slice(1, -1)
      .map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`);
    if (ancestors.some((a) => model.get(a)?.kind === 'file')) return;
    for (const ancestor of ancestors) if (!model.has(ancestor)) model.set(ancestor, { kind: 'dir' });
    if (op === 'dir' && model.get(path)?.kind === 'dir') return;
    removeTree(model, path);
    model.set(path, op === 'dir' ? { kind: 'dir' } : { kind: 'file', content: `${layer}:${index}` });
  });
}

function toEntries(ops: Op[], layer: number): TarEntry[] {
  return ops.map(({ op, path }, index): TarEntry => {
    const name = path.slice(1);
    switch (op) {
      case 'file':
        return { name, content: `${layer}:${index}` };
      case 'dir':
        return { name: `${name}/`, type: 'directory' };
      case 'whiteout':
        return {
          name: `${parentOf(path).slice(1)}${parentOf(path) ? '/' : ''}.wh.${path.slice(path.lastIndexOf('/') + 1)}`,
        };
      case 'opaque':
        return { name: `${name}/.wh..wh..opq` };
    }
  });
}

const everything: FileSelector = { select: () => ({ kind: 'content', maxBytes: 100 }) };

describe('layer semantics, property', () => {
  it('matches the layer.md model for random layers of files, directories, whiteouts and opaque markers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(layerArb, { minLength: 1, maxLength: 4 }), async (layers) => {
        const model = new Map<string, ModelNode>();
        layers.forEach((ops, layer) => applyLayer(model, ops, layer));
        const sources = await Promise.all(
          layers.map(async (ops, layer) =>
            layerOf(await tarOf(toEntries(ops, layer)), 'application/vnd.oci.image.layer.v1.tar'),
          ),
        );
        const fs = await readFilesystem(sources, [everything]);
        for (const path of ALL_PATHS) {
          expect(fs.exists(path), path).toBe(model.has(path));
          expect(fs.get(path)?.content?.toString(), path).toBe(model.get(path)?.content);
        }
      }),
      { numRuns: 300 },
    );
  });
});
