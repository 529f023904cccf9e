import { scanString } from './lexer.js';

/**
 * `${{ … }}` templates, as GitHub Actions writes them: a string that is exactly one template
 * yields the expression's typed value; other strings interpolate. An expression ends at the
 * first `}}` outside string literals and map literals (`${{ {"a": {"b": 1}} }}` is one template).
 */

export const TEMPLATE_OPEN = '${{';
const TEMPLATE_CLOSE = '}}';

export type TemplateSegment =
  | { kind: 'text'; text: string; offset: number }
  /** `text` is the CEL source without `${{ }}` and surrounding spaces; `offset` is where it starts. */
  | { kind: 'expression'; text: string; offset: number };

export type TemplateParse =
  { ok: true; segments: TemplateSegment[] } | { ok: false; offset: number; message: string };

export function hasTemplate(text: string): boolean {
  return text.includes(TEMPLATE_OPEN);
}

/** The literal and expression parts of a string, in order. */
export function parseTemplate(text: string): TemplateParse {
  const segments: TemplateSegment[] = [];
  let position = 0;
  while (position < text.length) {
    const open = text.indexOf(TEMPLATE_OPEN, position);
    if (open < 0) break;
    if (open > position) segments.push({ kind: 'text', text: text.slice(position, open), offset: position });
    const bodyStart = open + TEMPLATE_OPEN.length;
    const close = findClose(text, bodyStart);
    if (typeof close !== 'number') return { ok: false, ...close };
    const body = text.slice(bodyStart, close);
    const leading = body.length - body.trimStart().length;
    const expression = body.trim();
    if (expression === '')
      return { ok: false, offset: open, message: '${{ }} is empty: write an expression inside' };
    segments.push({ kind: 'expression', text: expression, offset: bodyStart + leading });
    position = close + TEMPLATE_CLOSE.length;
  }
  if (position < text.length) segments.push({ kind: 'text', text: text.slice(position), offset: position });
  return { ok: true, segments };
}

/** The expression of a string that is exactly one `${{ … }}`, else undefined. */
export function soleExpression(segments: readonly TemplateSegment[]): TemplateSegment | undefined {
  return segments.length === 1 && segments[0]!.kind === 'expression' ? segments[0] : undefined;
}

function findClose(text: string, start: number): number | { offset: number; message: string } {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const char = text[i]!;
    if (depth === 0 && text.startsWith(TEMPLATE_CLOSE, i)) return i;
    if (char === '"' || char === "'") {
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      continue;
    }
    if (char === '{') depth += 1;
    else if (char === '}') depth -= 1;
    i += 1;
  }
  return { offset: start - TEMPLATE_OPEN.length, message: '${{ is not closed: add }}' };
}
