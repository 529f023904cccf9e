import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, Scalar } from 'yaml';
import type { DefinitionProblem } from '../service.js';
import type { SourcePosition } from './types.js';

/** A path into the document, as zod reports it: keys and list indexes. */
export type DocumentPath = readonly (string | number)[];

/** Largest workflow file read; a workflow is a page of YAML, not a data set. */
export const MAX_SOURCE_BYTES = 1024 * 1024;

/** Limits alias expansion, so that a "billion laughs" document cannot exhaust memory. */
const MAX_ALIAS_COUNT = 100;

/** The parsed YAML with a way back from document paths to line and column. */
export interface YamlSource {
  /** The document as plain data; undefined when it could not be read. */
  value: unknown;
  /** YAML syntax problems (empty when the document was read). */
  problems: DefinitionProblem[];
  /** Where the value at `path` starts; for a missing key, where its nearest ancestor starts. */
  positionOf(path: DocumentPath): SourcePosition | undefined;
  /** Where the key of the entry at `path` is written (for unknown or duplicate keys). */
  keyPositionOf(path: DocumentPath): SourcePosition | undefined;
  /**
   * Where character `offset` of the string at `path` is, when the scalar is written so that
   * the mapping is exact (plain or quoted on one line, no escapes); else where the string starts.
   */
  positionInString(path: DocumentPath, offset: number): SourcePosition | undefined;
}

/** Reads YAML 1.2 (core schema: `on` is a string, not a boolean as in YAML 1.1). */
export function loadYaml(source: string): YamlSource {
  const lineCounter = new LineCounter();
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (Buffer.byteLength(source) > MAX_SOURCE_BYTES) {
    return sourceWithout({ path: '', message: `the file is larger than ${MAX_SOURCE_BYTES / 1024} KiB` });
  }
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, schema: 'core', uniqueKeys: true });
  const problems: DefinitionProblem[] = doc.errors.map((error) => ({
    path: '',
    message: yamlMessage(error.code, error.message),
    position: at(error.pos[0]),
  }));
  let value: unknown;
  if (problems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      problems.push({ path: '', message: `the document cannot be read: ${(error as Error).message}` });
    }
  }
  const locate = (path: DocumentPath) => findNode(doc.contents, path);
  return {
    value,
    problems,
    positionOf(path) {
      const found = locate(path);
      const node = found.node ?? found.key ?? found.nearest;
      return node?.range ? at(node.range[0]) : undefined;
    },
    keyPositionOf(path) {
      const found = locate(path);
      const node = found.key ?? found.node ?? found.nearest;
      return node?.range ? at(node.range[0]) : undefined;
    },
    positionInString(path, offset) {
      const { node } = locate(path);
      if (!isScalar(node) || !node.range) return this.positionOf(path);
      const exact = sourceOffset(source, node, offset);
      return at(exact ?? node.range[0]);
    },
  };
}

function sourceWithout(problem: DefinitionProblem): YamlSource {
  return {
    value: undefined,
    problems: [problem],
    positionOf: () => undefined,
    keyPositionOf: () => undefined,
    positionInString: () => undefined,
  };
}

function yamlMessage(code: string, message: string): string {
  if (code === 'MULTIPLE_DOCS')
    return 'a workflow file holds one YAML document: put each --- document in its own file';
  if (code === 'DUPLICATE_KEY') return `${message}: each key may appear once`;
  return message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '');
}

interface Found {
  node?: Node;
  key?: Node;
  /** The deepest node on the path that exists. */
  nearest?: Node;
}

function findNode(root: unknown, path: DocumentPath): Found {
  let current: unknown = root;
  let key: Node | undefined;
  for (const segment of path) {
    const nearest = current as Node | undefined;
    if (isMap(current)) {
      const pair = (current.items as Pair[]).find((item) => isScalar(item.key) && item.key.value === segment);
      if (pair === undefined) return { nearest };
      key = pair.key as Node;
      current = pair.value;
      if (current === null || current === undefined) return { key, nearest: key };
    } else if (isSeq(current) && typeof segment === 'number') {
      current = current.items[segment];
      key = undefined;
      if (current === undefined) return { nearest };
    } else {
      return { nearest };
    }
  }
  return { node: current as Node, key, nearest: current as Node };
}

/**
 * Where character `offset` of the scalar's value is in the source, when characters of the value
 * map one to one onto the source: plain and quoted scalars on one line without escapes, and
 * literal block scalars (`|`), whose lines are the value's lines indented. Else undefined.
 */
function sourceOffset(source: string, node: Scalar, offset: number): number | undefined {
  const [start, end] = node.range!;
  const raw = source.slice(start, end);
  const value = String(node.value);
  switch (node.type) {
    case Scalar.PLAIN:
      return raw === value ? start + offset : undefined;
    case Scalar.QUOTE_SINGLE:
      return raw === `'${value}'` ? start + 1 + offset : undefined;
    case Scalar.QUOTE_DOUBLE:
      return raw === `"${value}"` && !raw.includes('\\') ? start + 1 + offset : undefined;
    case Scalar.BLOCK_LITERAL:
      return blockLiteralOffset(raw, value, offset, start);
    default:
      return undefined;
  }
}

function blockLiteralOffset(raw: string, value: string, offset: number, start: number): number | undefined {
  const before = value.slice(0, offset).split('\n');
  const lineIndex = before.length - 1;
  const column = before[lineIndex]!.length;
  const rawLines = raw.split('\n');
  const contentLines = rawLines.slice(1);
  const valueLine = value.split('\n')[lineIndex] ?? '';
  const line = contentLines[lineIndex];
  if (line === undefined || valueLine === '' || !line.endsWith(valueLine)) return undefined;
  const indent = line.length - valueLine.length;
  const lineStart = rawLines.slice(0, lineIndex + 1).reduce((sum, text) => sum + text.length + 1, 0);
  return start + lineStart + indent + column;
}
