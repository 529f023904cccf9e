import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../kernel/index.js';
import { RegistryConfig } from './config.js';

export interface LoadConfigOptions {
  signal?: AbortSignal;
}

const API_VERSION = 'airlock.dev/v1';
const KIND = 'RegistryConfig';

/** Reads and validates a registry configuration file; errors name the file, line, column and field. */
export async function loadRegistryConfigFile(
  path: string,
  options: LoadConfigOptions = {},
): Promise<RegistryConfig> {
  let text: string;
  try {
    text = await readFile(path, { encoding: 'utf8', signal: options.signal });
  } catch (error) {
    throw new AppError(
      'CONFIG_INVALID',
      `cannot read registry configuration ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return parseRegistryConfig(text, path);
}

/**
 * Parses registry configuration YAML. The document is a `RegistryConfig`, optionally
 * headed by `apiVersion: airlock.dev/v1` and `kind: RegistryConfig`.
 */
export function parseRegistryConfig(text: string, source: string): RegistryConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = syntax.linePos?.[0];
    throw configError(
      at ? `${source}:${at.line}:${at.col}` : source,
      syntax.message.split('\n')[0] ?? 'invalid YAML',
    );
  }
  const value: unknown = doc.toJS() ?? {};
  const body = stripHeader(value, doc, lines, source);
  const result = RegistryConfig.safeParse(body);
  if (result.success) return withPathsFrom(result.data, source);
  const problems = result.error.issues.slice(0, 10).map((issue) => describeIssue(issue, doc, lines, source));
  throw new AppError('CONFIG_INVALID', `invalid registry configuration:\n  ${problems.join('\n  ')}`, {
    details: { file: source, issues: result.error.issues.length },
  });
}

/** File paths in the configuration are relative to the configuration file. */
function withPathsFrom(config: RegistryConfig, source: string): RegistryConfig {
  if (!config.tls) return config;
  const base = dirname(resolve(source));
  return {
    ...config,
    tls: { certFile: resolve(base, config.tls.certFile), keyFile: resolve(base, config.tls.keyFile) },
  };
}

function stripHeader(value: unknown, doc: Document, lines: LineCounter, source: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError(source, 'the registry configuration must be a mapping of settings');
  }
  const { apiVersion, kind, ...rest } = value as Record<string, unknown>;
  if (apiVersion !== undefined && apiVersion !== API_VERSION) {
    throw configError(
      where(doc, lines, source, ['apiVersion']),
      `apiVersion must be ${API_VERSION}, found ${JSON.stringify(apiVersion)}`,
    );
  }
  if (kind !== undefined && kind !== KIND) {
    throw configError(
      where(doc, lines, source, ['kind']),
      `kind must be ${KIND}, found ${JSON.stringify(kind)}`,
    );
  }
  return rest;
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter, source: string): string {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const at = keyNode(path.length === 0 ? doc.contents : doc.getIn(path, true), key);
    const position = at === undefined ? where(doc, lines, source, path) : format(source, lines.linePos(at));
    return `${position}: ${formatPath([...path, key])}: unknown setting (misspelt?)`;
  }
  return `${where(doc, lines, source, path)}: ${formatPath(path) || '(top level)'}: ${issue.message}`;
}

function format(source: string, at: { line: number; col: number }): string {
  return `${source}:${at.line}:${at.col}`;
}

/** `file:line:col` of the deepest node on `path` that exists in the document. */
function where(doc: Document, lines: LineCounter, source: string, path: (string | number)[]): string {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return `${source}:${line}:${col}`;
    }
    // A key with no value node: point at the key itself.
    const parent = depth > 0 ? doc.getIn(path.slice(0, depth - 1), true) : undefined;
    const key = keyNode(parent, path[depth - 1]);
    if (key) return `${source}:${lines.linePos(key).line}:${lines.linePos(key).col}`;
  }
  return source;
}

function keyNode(parent: unknown, key: string | number | undefined): number | undefined {
  if (key === undefined || !parent || typeof parent !== 'object' || !('items' in parent)) return undefined;
  const items = (parent as { items: unknown[] }).items;
  for (const item of items) {
    const k = (item as { key?: { value?: unknown; range?: [number, number, number] } }).key;
    if (k && k.value === key && k.range) return k.range[0];
  }
  return undefined;
}

function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function configError(where: string, message: string): AppError {
  return new AppError('CONFIG_INVALID', `${where}: ${message}`, { details: { file: where } });
}
