/**
 * A CEL tokenizer (cel-spec `langdef.md`, "Syntax") for what the parser cannot do well:
 * bounding nesting before the recursive parser runs, finding where a `${{ … }}` ends (a `}}`
 * inside a string or map literal does not end it), and saying precisely where and why an
 * expression is malformed (unterminated string, unbalanced bracket, dangling operator).
 */

export type TokenKind = 'identifier' | 'number' | 'string' | 'operator' | 'open' | 'close';

export interface Token {
  kind: TokenKind;
  text: string;
  offset: number;
}

export interface SyntaxProblem {
  /** Offset in the expression text. */
  offset: number;
  message: string;
}

const OPERATORS = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '!',
  '?',
  ':',
  '.',
  ',',
  '=',
];
const NUMBER =
  /^(?:0[xX][0-9a-fA-F]+|[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)[uU]?/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*/;
const STRING_START = /^(?:[rR][bB]?|[bB][rR]?)?(?:"""|'''|"|')/;

/** Where the string literal starting at `offset` ends (exclusive), or a problem. */
export function scanString(text: string, offset: number): number | SyntaxProblem {
  const start = STRING_START.exec(text.slice(offset))![0];
  const raw = /[rR]/.test(start);
  const quote = start.replace(/^[rRbB]+/, '');
  let i = offset + start.length;
  while (i < text.length) {
    if (text.startsWith(quote, i)) return i + quote.length;
    if (!raw && text[i] === '\\') i += 2;
    else if (quote.length === 1 && (text[i] === '\n' || text[i] === '\r')) break;
    else i += 1;
  }
  return { offset, message: `the string starting here is not closed: add ${quote}` };
}

/** Tokens of `text`, or the first lexical problem. Comments (`// …`) and whitespace are skipped. */
export function tokenize(text: string): Token[] | SyntaxProblem {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^(?:\s+|\/\/[^\n]*)/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (STRING_START.test(rest)) {
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      tokens.push({ kind: 'string', text: text.slice(i, end), offset: i });
      i = end;
      continue;
    }
    const word = NUMBER.exec(rest) ?? IDENTIFIER.exec(rest);
    if (word) {
      tokens.push({ kind: kindOfWord(word[0]), text: word[0], offset: i });
      i += word[0].length;
      continue;
    }
    const char = text[i]!;
    if ('([{'.includes(char) || ')]}'.includes(char)) {
      tokens.push({ kind: '([{'.includes(char) ? 'open' : 'close', text: char, offset: i });
      i += 1;
      continue;
    }
    const operator = OPERATORS.find((op) => rest.startsWith(op));
    if (operator === undefined) return { offset: i, message: `unexpected character ${JSON.stringify(char)}` };
    tokens.push({ kind: 'operator', text: operator, offset: i });
    i += operator.length;
  }
  return tokens;
}

/** `in` is spelt like an identifier but is an operator (`"a" in list`). */
function kindOfWord(word: string): TokenKind {
  if (word === 'in') return 'operator';
  return /^[0-9.]/.test(word) ? 'number' : 'identifier';
}

const CLOSER: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const OPERAND_KINDS = new Set<TokenKind>(['identifier', 'number', 'string']);

/** Prefix operators may be followed by another operator (`!!x`, `- -1`). */
const PREFIX = new Set(['!', '-']);

/** `a > )`, `a && || b`: a binary operator with nothing after it. */
function isMissingOperand(token: Token, next: Token | undefined): boolean {
  if (next === undefined || token.text === ',') return false;
  if (next.kind === 'close') return true;
  return next.kind === 'operator' && !PREFIX.has(next.text) && next.text !== 'in';
}

/** The deepest bracket nesting of the tokens. */
export function nestingDepth(tokens: readonly Token[]): number {
  let depth = 0;
  let deepest = 0;
  for (const token of tokens) {
    if (token.kind === 'open') deepest = Math.max(deepest, ++depth);
    else if (token.kind === 'close') depth -= 1;
  }
  return deepest;
}

/** Structural problems a reader spots at a glance; undefined when none is found. */
export function structuralProblem(tokens: readonly Token[]): SyntaxProblem | undefined {
  const stack: Token[] = [];
  for (const [i, token] of tokens.entries()) {
    const next = tokens[i + 1];
    if (token.kind === 'open') stack.push(token);
    else if (token.kind === 'close') {
      const open = stack.pop();
      if (open === undefined)
        return { offset: token.offset, message: `${token.text} has no matching opening bracket` };
      if (CLOSER[open.text] !== token.text) {
        return {
          offset: token.offset,
          message: `expected ${CLOSER[open.text]} to close ${open.text} at column ${open.offset + 1}`,
        };
      }
    } else if (token.kind === 'operator' && isMissingOperand(token, next)) {
      return { offset: token.offset, message: `something is missing after ${token.text}` };
    } else if (token.text === '=') {
      return { offset: token.offset, message: 'use == to compare (expressions cannot assign)' };
    } else if (OPERAND_KINDS.has(token.kind) && next !== undefined && OPERAND_KINDS.has(next.kind)) {
      return { offset: next.offset, message: `expected an operator between ${token.text} and ${next.text}` };
    }
  }
  const unclosed = stack.pop();
  if (unclosed !== undefined) return { offset: unclosed.offset, message: `${unclosed.text} is never closed` };
  const last = tokens[tokens.length - 1];
  if (last === undefined) return { offset: 0, message: 'the expression is empty' };
  if (last.kind === 'operator') {
    return {
      offset: last.offset,
      message: `the expression ends after ${last.text}: something is missing after it`,
    };
  }
  return undefined;
}
