import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../kernel/index.js';
import { MediaType } from '../mediatype/index.js';
import type { Descriptor } from '../manifest/index.js';
import { LayoutIndex, REF_NAME_ANNOTATION, refNameOf } from './layout-index.js';

const manifests: Descriptor[] = ['a', 'b', 'c', 'd'].map((seed) => ({
  mediaType: MediaType.OciManifest,
  digest: digestOf(seed),
  size: 100,
}));
const TAGS = ['latest', 'v1', 'v2', 'stable'];

type Operation =
  | { kind: 'tag'; manifest: number; tag: string }
  | { kind: 'untagged'; manifest: number }
  | { kind: 'delete'; manifest: number }
  | { kind: 'adopt'; manifests: number[] };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('tag' as const), manifest: fc.nat(3), tag: fc.constantFrom(...TAGS) }),
  fc.record({ kind: fc.constant('untagged' as const), manifest: fc.nat(3) }),
  fc.record({ kind: fc.constant('delete' as const), manifest: fc.nat(3) }),
  fc.record({ kind: fc.constant('adopt' as const), manifests: fc.array(fc.nat(3), { maxLength: 3 }) }),
);

function apply(index: LayoutIndex, op: Operation): LayoutIndex {
  switch (op.kind) {
    case 'tag':
      return index.withTag(manifests[op.manifest]!, op.tag);
    case 'untagged':
      return index.withUntagged(manifests[op.manifest]!);
    case 'delete':
      return index.withoutDigest(manifests[op.manifest]!.digest);
    case 'adopt':
      return index.withoutUntagged(new Set(op.manifests.map((i) => manifests[i]!.digest)));
  }
}

describe('LayoutIndex', () => {
  const empty = LayoutIndex.of({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [] });

  it('keeps every tag on one entry, and every manifest on at most one untagged entry, whatever happens', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 30 }), (operations) => {
        const index = operations.reduce(apply, empty);
        const names = index.entries.map(refNameOf).filter((n): n is string => n !== undefined);
        expect(new Set(names).size).toBe(names.length);
        expect(index.tags()).toEqual([...names].sort());
        const untagged = index.entries.filter((e) => refNameOf(e) === undefined).map((e) => e.digest);
        expect(new Set(untagged).size).toBe(untagged.length);
        // A manifest is never both tagged and listed untagged.
        for (const digest of untagged)
          expect(index.entries.filter((e) => e.digest === digest)).toHaveLength(1);
      }),
    );
  });

  it('points a tag at the manifest it was last given', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3), fc.constantFrom(...TAGS)), { minLength: 1, maxLength: 20 }),
        (tagging) => {
          const index = tagging.reduce((i, [m, tag]) => i.withTag(manifests[m]!, tag), empty);
          const last = new Map(tagging.map(([m, tag]) => [tag, manifests[m]!.digest]));
          for (const [tag, digest] of last) expect(index.findTag(tag)?.digest).toBe(digest);
        },
      ),
    );
  });

  it('does not change itself or its input when deriving a new index', () => {
    const entry: Descriptor = { ...manifests[0]!, annotations: { 'org.example': 'x' } };
    const tagged = empty.withTag(entry, 'v1');
    expect(empty.entries).toEqual([]);
    expect(entry.annotations).toEqual({ 'org.example': 'x' });
    expect(tagged.entries[0]!.annotations).toEqual({ 'org.example': 'x', [REF_NAME_ANNOTATION]: 'v1' });
    expect(tagged.withUntagged(manifests[0]!)).toBe(tagged);
    expect(tagged.withoutDigest(manifests[1]!.digest)).toBe(tagged);
  });

  it('keeps fields of index.json it does not interpret', () => {
    const index = LayoutIndex.of({ schemaVersion: 2, manifests: [], annotations: { a: 'b' } }).withTag(
      manifests[0]!,
      'x',
    );
    expect(index.value.annotations).toEqual({ a: 'b' });
  });
});
