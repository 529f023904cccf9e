import {
  type HeaderCursor as Cursor,
  SEPARATORS,
  TOKEN,
  atEnd,
  cursorOf,
  match,
  peek,
  readQuoted,
  skipSpaces,
} from './header-cursor.js';
/**
 * A challenge of a `WWW-Authenticate` response header (RFC 9110 §11.6.1, §11.3):
 * `Bearer realm="https://auth.example/token",service="registry.example"`.
 */
export interface AuthChallenge {
  /** Authentication scheme, lowercased (schemes are case-insensitive): `bearer`, `basic`, … */
  scheme: string;
  /** Parameters with lowercased names; values as sent, unquoted. Has no prototype, so any name is safe. */
  params: Record<string, string>;
  /** The token68 form (RFC 9110 §11.2), used by some schemes instead of parameters. */
  token68?: string;
}

/**
 * Parses every challenge of one or more `WWW-Authenticate` header values. Registries differ
 * in spacing, case and quoting, and some put several challenges in one value; this reads
 * RFC 9110's grammar leniently (unquoted values may be any text up to "," or whitespace,
 * so unquoted URLs work) and skips what it cannot read instead of throwing, so that one
 * malformed challenge does not hide a usable one.
 *
 *   challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param = token BWS "=" BWS ( token / quoted-string )
 */
export function parseWwwAuthenticate(header: string | string[] | undefined): AuthChallenge[] {
  if (header === undefined) return [];
  const values = Array.isArray(header) ? header : [header];
  const challenges: AuthChallenge[] = [];
  for (const value of values) {
    if (typeof value === 'string') challenges.push(...parseHeaderValue(value));
  }
  return challenges;
}

const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*/y;
const BARE_VALUE = /[^,\s]*/y;

function parseHeaderValue(text: string): AuthChallenge[] {
  const cursor = cursorOf(text);
  const challenges: AuthChallenge[] = [];
  for (;;) {
    match(cursor, SEPARATORS);
    if (atEnd(cursor)) return challenges;
    const scheme = match(cursor, TOKEN);
    if (scheme === undefined || !(atEnd(cursor) || /[ \t,]/.test(peek(cursor)))) {
      skipElement(cursor);
      continue;
    }
    const challenge: AuthChallenge = {
      scheme: scheme.toLowerCase(),
      params: Object.create(null) as Record<string, string>,
    };
    readChallengeBody(cursor, challenge);
    challenges.push(challenge);
  }
}

/** Reads a token68 or a list of parameters, leaving the cursor before the next challenge. */
function readChallengeBody(cursor: Cursor, challenge: AuthChallenge): void {
  skipSpaces(cursor);
  if (atEnd(cursor)) return;
  if (peek(cursor) === ',') {
    // Empty list elements may precede the first parameter (RFC 9110 §5.6.1).
    if (!nextIsParam(cursor)) return;
  } else if (readToken68(cursor, challenge)) {
    return;
  }
  for (;;) {
    const param = readParam(cursor);
    if (param === undefined) skipElement(cursor);
    else if (!Object.hasOwn(challenge.params, param.name)) challenge.params[param.name] = param.value;
    skipSpaces(cursor);
    if (!atEnd(cursor) && peek(cursor) !== ',') skipElement(cursor);
    if (atEnd(cursor) || !nextIsParam(cursor)) return;
  }
}

/** Reads a token68 when it is all the challenge has; otherwise leaves the cursor where it was. */
function readToken68(cursor: Cursor, challenge: AuthChallenge): boolean {
  const start = cursor.pos;
  const token68 = match(cursor, TOKEN68);
  if (token68 !== undefined) {
    skipSpaces(cursor);
    if (atEnd(cursor) || peek(cursor) === ',') {
      challenge.token68 = token68;
      return true;
    }
  }
  cursor.pos = start;
  return false;
}

/** `name BWS "=" BWS value`, or undefined (cursor unspecified) when the text is not a parameter. */
function readParam(cursor: Cursor): { name: string; value: string } | undefined {
  const name = match(cursor, TOKEN);
  if (name === undefined) return undefined;
  skipSpaces(cursor);
  if (peek(cursor) !== '=') return undefined;
  cursor.pos += 1;
  skipSpaces(cursor);
  const value = peek(cursor) === '"' ? quotedOrUndefined(cursor) : (match(cursor, BARE_VALUE) ?? '');
  return value === undefined ? undefined : { name: name.toLowerCase(), value };
}

/**
 * After a ",": whether the next list element is another parameter of the same challenge
 * (`token BWS =`) rather than a new challenge. Moves past empty list elements.
 */
function nextIsParam(cursor: Cursor): boolean {
  match(cursor, SEPARATORS);
  const start = cursor.pos;
  let isParam = false;
  if (match(cursor, TOKEN) !== undefined) {
    skipSpaces(cursor);
    isParam = peek(cursor) === '=';
  }
  cursor.pos = start;
  return isParam;
}

/** Skips to the next "," outside a quoted string, or to the end. */
function skipElement(cursor: Cursor): void {
  const { text } = cursor;
  let quoted = false;
  for (; cursor.pos < text.length; cursor.pos++) {
    const char = text[cursor.pos];
    if (quoted && char === '\\') cursor.pos += 1;
    else if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) return;
  }
  cursor.pos = text.length;
}

/** A quoted value, or undefined when it is unterminated (the challenge is then unreadable). */
function quotedOrUndefined(cursor: Cursor): string | undefined {
  const { value, terminated } = readQuoted(cursor);
  return terminated ? value : undefined;
}
