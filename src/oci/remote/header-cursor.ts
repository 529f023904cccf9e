/**
 * A cursor over an HTTP header value and the RFC 9110 (§5.6) pieces that `WWW-Authenticate`
 * and `Link` share: tokens, optional whitespace and quoted strings.
 */
export interface HeaderCursor {
  readonly text: string;
  pos: number;
}

/** RFC 9110 §5.6.2 token. */
export const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
/** Optional whitespace (OWS/BWS). */
export const SPACES = /[ \t]*/y;
/** List separators and the whitespace around them, including empty list elements. */
export const SEPARATORS = /[\s,]*/y;

export function cursorOf(text: string): HeaderCursor {
  return { text, pos: 0 };
}

/** Matches a sticky pattern at the cursor and moves past it; undefined when it does not match. */
export function match(cursor: HeaderCursor, pattern: RegExp): string | undefined {
  pattern.lastIndex = cursor.pos;
  const found = pattern.exec(cursor.text);
  if (found === null) return undefined;
  cursor.pos = pattern.lastIndex;
  return found[0];
}

export function skipSpaces(cursor: HeaderCursor): void {
  match(cursor, SPACES);
}

export function peek(cursor: HeaderCursor): string {
  return cursor.text[cursor.pos] ?? '';
}

export function atEnd(cursor: HeaderCursor): boolean {
  return cursor.pos >= cursor.text.length;
}

/**
 * A quoted-string at the cursor (which is on the opening quote) with quoted-pairs unescaped
 * (RFC 9110 §5.6.4). An unterminated one runs to the end of the text; `terminated` says which.
 */
export function readQuoted(cursor: HeaderCursor): { value: string; terminated: boolean } {
  const { text } = cursor;
  let value = '';
  for (let i = cursor.pos + 1; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') {
      cursor.pos = i + 1;
      return { value, terminated: true };
    }
    if (char === '\\') i += 1;
    if (i < text.length) value += text[i];
  }
  cursor.pos = text.length;
  return { value, terminated: false };
}
