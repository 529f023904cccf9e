import { canonicalLicenseId } from './spdx-license-list.js';

/**
 * SPDX licence expressions (SPDX 2.3 Annex D): enough of a parser to tell an identifier
 * from an expression from a free-text licence name, to write each where CycloneDX and SPDX
 * want it, and to split a conjunction back into the licences it lists.
 */

export type LicenseNode =
  | { kind: 'id'; id: string; orLater: boolean }
  | { kind: 'with'; license: LicenseNode; exception: string }
  | { kind: 'and' | 'or'; operands: LicenseNode[] };

/** A licence string as package metadata states it, classified. */
export type LicenseClass =
  | { kind: 'id'; id: string }
  | { kind: 'expression'; expression: string; node: LicenseNode }
  | { kind: 'name'; name: string };

const OPERATORS = new Set(['AND', 'OR', 'WITH']);
const REF_PATTERN = /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;
// Annex D.2 idstring, optionally followed by "+" ("or later").
const TOKEN_PATTERN = /\s*(\(|\)|[A-Za-z0-9.:-]+\+?)/;
// Real expressions are short; a longer string is treated as a name rather than parsed.
const MAX_EXPRESSION_LENGTH = 4096;
const MAX_NESTING = 32;

/**
 * Sorts a licence string into an SPDX License List identifier (in the list's spelling), a
 * valid expression over listed or `LicenseRef-` identifiers (normalised), or a name (anything
 * else: "GPL-2+", "BSD-style", "Apache License 2.0").
 */
export function classifyLicense(text: string): LicenseClass {
  const trimmed = text.trim();
  const listed = canonicalLicenseId(trimmed);
  if (listed) return { kind: 'id', id: listed };
  const node = parseLicenseExpression(trimmed);
  if (node === undefined) return { kind: 'name', name: trimmed };
  return { kind: 'expression', expression: formatLicenseExpression(node), node };
}

/** Parses an expression whose identifiers are all listed or `LicenseRef-`s; undefined otherwise. */
export function parseLicenseExpression(text: string): LicenseNode | undefined {
  const tokens = tokenize(text);
  if (tokens === undefined || tokens.length === 0) return undefined;
  const parser = new Parser(tokens);
  const node = parser.parseOr();
  return node !== undefined && parser.done() ? node : undefined;
}

/** Renders a parsed expression with upper-case operators and parentheses only where needed. */
export function formatLicenseExpression(node: LicenseNode): string {
  switch (node.kind) {
    case 'id':
      return node.orLater ? `${node.id}+` : node.id;
    case 'with':
      return `${formatLicenseExpression(node.license)} WITH ${node.exception}`;
    case 'and':
      return node.operands
        .map((op) => (op.kind === 'or' ? `(${formatLicenseExpression(op)})` : formatLicenseExpression(op)))
        .join(' AND ');
    case 'or':
      return node.operands.map(formatLicenseExpression).join(' OR ');
  }
}

/**
 * The licences a top-level conjunction lists ("MIT AND (BSD-3-Clause OR GPL-2.0-only)" →
 * "MIT", "BSD-3-Clause OR GPL-2.0-only"): all of them apply, which is what a list of licences
 * in package metadata means too. Other expressions, and non-expressions, come back whole.
 */
export function splitConjunction(text: string): string[] {
  const node = parseLicenseExpression(text);
  if (node === undefined) return [text.trim()];
  if (node.kind !== 'and') return [formatLicenseExpression(node)];
  return node.operands.map(formatLicenseExpression);
}

/**
 * Joins licence strings into one SPDX expression (AND: every listed licence applies). Names
 * that are not expressions become `LicenseRef-` identifiers made by `refFor`.
 */
export function conjoinLicenses(licenses: string[], refFor: (name: string) => string): string | undefined {
  const parts = new Map<string, boolean>();
  for (const license of licenses) {
    const classified = classifyLicense(license);
    if (classified.kind === 'id') parts.set(classified.id, false);
    else if (classified.kind === 'name') parts.set(refFor(classified.name), false);
    else parts.set(classified.expression, classified.node.kind === 'or');
  }
  if (parts.size <= 1) return [...parts.keys()][0];
  return [...parts].map(([part, isDisjunction]) => (isDisjunction ? `(${part})` : part)).join(' AND ');
}

/** `LicenseRef-` plus the name reduced to the idstring alphabet (Annex D.2). */
export function licenseRefFor(name: string): string {
  const idstring = name
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
  return `LicenseRef-${idstring === '' ? 'unnamed' : idstring}`;
}

function tokenize(text: string): string[] | undefined {
  const input = text.trim();
  if (input.length > MAX_EXPRESSION_LENGTH) return undefined;
  const pattern = new RegExp(TOKEN_PATTERN.source, 'y');
  const tokens: string[] = [];
  while (pattern.lastIndex < input.length) {
    const match = pattern.exec(input);
    if (!match) return undefined;
    tokens.push(match[1]!);
  }
  return tokens;
}

class Parser {
  private position = 0;
  private depth = 0;

  constructor(private readonly tokens: string[]) {}

  done(): boolean {
    return this.position === this.tokens.length;
  }

  parseOr(): LicenseNode | undefined {
    return this.parseBinary('OR', () => this.parseAnd());
  }

  private parseAnd(): LicenseNode | undefined {
    return this.parseBinary('AND', () => this.parseWith());
  }

  private parseBinary(
    operator: 'AND' | 'OR',
    operand: () => LicenseNode | undefined,
  ): LicenseNode | undefined {
    const first = operand();
    if (first === undefined) return undefined;
    const operands = [first];
    while (this.peekOperator() === operator) {
      this.position += 1;
      const next = operand();
      if (next === undefined) return undefined;
      operands.push(next);
    }
    if (operands.length === 1) return first;
    const kind = operator === 'AND' ? 'and' : 'or';
    // Flatten "(A AND B) AND C": the same operator is associative.
    const flat = operands.flatMap((op) => (op.kind === kind ? op.operands : [op]));
    return { kind, operands: flat };
  }

  private parseWith(): LicenseNode | undefined {
    const license = this.parseAtom();
    if (license === undefined || this.peekOperator() !== 'WITH') return license;
    this.position += 1;
    const exception = this.tokens[this.position];
    const listed = exception === undefined ? undefined : canonicalLicenseId(exception);
    if (listed === undefined || license.kind !== 'id') return undefined;
    this.position += 1;
    return { kind: 'with', license, exception: listed };
  }

  private parseAtom(): LicenseNode | undefined {
    const token = this.tokens[this.position];
    if (token === undefined || OPERATORS.has(token.toUpperCase()) || token === ')') return undefined;
    this.position += 1;
    if (token === '(') {
      if (++this.depth > MAX_NESTING) return undefined;
      const inner = this.parseOr();
      this.depth -= 1;
      if (inner === undefined || this.tokens[this.position] !== ')') return undefined;
      this.position += 1;
      return inner;
    }
    return identifier(token);
  }

  private peekOperator(): string | undefined {
    const token = this.tokens[this.position]?.toUpperCase();
    return token !== undefined && OPERATORS.has(token) ? token : undefined;
  }
}

function identifier(token: string): LicenseNode | undefined {
  const listed = canonicalLicenseId(token);
  if (listed) return { kind: 'id', id: listed, orLater: false };
  if (REF_PATTERN.test(token)) return { kind: 'id', id: token, orLater: false };
  if (token.endsWith('+')) {
    const base = canonicalLicenseId(token.slice(0, -1));
    if (base) return { kind: 'id', id: base, orLater: true };
  }
  return undefined;
}
