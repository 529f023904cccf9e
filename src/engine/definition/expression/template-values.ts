import type { TemplatedValue } from '../types.js';
import { parseTemplate, TEMPLATE_OPEN, type TemplateSegment } from './template.js';

/** One `${{ … }}` found in a templated value, with where it is. */
export interface TemplateExpression {
  /** Path inside the value (`['source']`, `['args', 0]`). */
  path: (string | number)[];
  /** The CEL text. */
  text: string;
  /** Offset of the CEL text in the string at `path`. */
  offset: number;
}

/** A template string that does not parse (`${{` without `}}`, an empty `${{ }}`). */
export interface TemplateSyntaxProblem {
  path: (string | number)[];
  offset: number;
  message: string;
}

/** Every expression in the strings of `value`, depth first, in document order. */
export function templateExpressions(value: TemplatedValue): {
  expressions: TemplateExpression[];
  problems: TemplateSyntaxProblem[];
} {
  const expressions: TemplateExpression[] = [];
  const problems: TemplateSyntaxProblem[] = [];
  const visit = (node: unknown, path: (string | number)[]) => {
    if (typeof node === 'string') {
      if (!node.includes(TEMPLATE_OPEN)) return;
      const parsed = parseTemplate(node);
      if (!parsed.ok) problems.push({ path, offset: parsed.offset, message: parsed.message });
      else for (const segment of expressionSegments(parsed.segments)) expressions.push({ path, ...segment });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) visit(item, [...path, key]);
    }
  };
  visit(value, []);
  return { expressions, problems };
}

function expressionSegments(segments: readonly TemplateSegment[]): { text: string; offset: number }[] {
  return segments
    .filter((segment) => segment.kind === 'expression')
    .map(({ text, offset }) => ({ text, offset }));
}

/**
 * The CEL text of a field that holds one expression (`if`, `forEach`): written bare or as one
 * `${{ … }}`; undefined when it mixes text and templates. `offset` is where the CEL text starts.
 */
export function bareExpression(text: string): { text: string; offset: number } | undefined {
  if (!text.includes(TEMPLATE_OPEN)) {
    const leading = text.length - text.trimStart().length;
    return { text: text.trim(), offset: leading };
  }
  const trimmed = text.trim();
  const parsed = parseTemplate(trimmed);
  if (!parsed.ok || parsed.segments.length !== 1 || parsed.segments[0]!.kind !== 'expression')
    return undefined;
  const leading = text.length - text.trimStart().length;
  return { text: parsed.segments[0]!.text, offset: leading + parsed.segments[0]!.offset };
}
