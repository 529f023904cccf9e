import {
  type HeaderCursor as Cursor,
  SEPARATORS,
  SPACES,
  TOKEN,
  cursorOf,
  match,
  readQuoted,
} from './header-cursor.js';
/**
 * The URL of the next page named by `Link` response headers (RFC 8288 §3), as registries
 * send for paginated `_catalog` and `tags/list` answers (distribution-spec v1.1 "Listing
 * Tags"): `</v2/_catalog?last=b&n=100>; rel="next"`.
 *
 * Relation types are matched case-insensitively among space-separated lists
 * (`rel="next last"`); only the first `rel` of a link counts (§3.3). Relative targets are
 * resolved against the request URL. Links that are not http(s), cannot be resolved, or
 * point back at the request itself (which would paginate forever) are ignored. Never throws.
 */
export function nextLink(
  linkHeader: string | string[] | undefined,
  requestUrl: string | URL,
): URL | undefined {
  if (linkHeader === undefined) return undefined;
  const base = toUrl(requestUrl);
  if (base === undefined) return undefined;
  const values = Array.isArray(linkHeader) ? linkHeader : [linkHeader];
  for (const value of values) {
    if (typeof value !== 'string') continue;
    for (const link of parseLinkValues(value)) {
      const rel = link.params.get('rel');
      if (rel === undefined || !rel.split(/[ \t]+/).some((type) => type.toLowerCase() === 'next')) continue;
      const target = toUrl(link.target, base);
      if (
        target &&
        (target.protocol === 'http:' || target.protocol === 'https:') &&
        target.href !== base.href
      ) {
        return target;
      }
    }
  }
  return undefined;
}

interface LinkValue {
  target: string;
  /** Parameters by lowercased name; the first occurrence wins. */
  params: Map<string, string>;
}

const BARE_VALUE = /[^;,\s]*/y;

/** `link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )`, repeated with ",". */
function parseLinkValues(text: string): LinkValue[] {
  const cursor = cursorOf(text);
  const links: LinkValue[] = [];
  for (;;) {
    match(cursor, SEPARATORS);
    if (cursor.pos >= text.length) return links;
    const close = text.indexOf('>', cursor.pos);
    if (text[cursor.pos] !== '<' || close < 0) {
      skipElement(cursor);
      continue;
    }
    const target = text.slice(cursor.pos + 1, close).trim();
    cursor.pos = close + 1;
    links.push({ target, params: readParams(cursor) });
  }
}

/** Reads `; name[=value]` parameters up to the "," that ends the link-value. */
function readParams(cursor: Cursor): Map<string, string> {
  const params = new Map<string, string>();
  for (;;) {
    match(cursor, SPACES);
    const char = cursor.text[cursor.pos];
    if (char === undefined || char === ',') return params;
    if (char !== ';') {
      skipElement(cursor);
      return params;
    }
    cursor.pos += 1;
    match(cursor, SPACES);
    const name = match(cursor, TOKEN);
    if (name === undefined) continue;
    match(cursor, SPACES);
    let value = '';
    if (cursor.text[cursor.pos] === '=') {
      cursor.pos += 1;
      match(cursor, SPACES);
      value = (cursor.text[cursor.pos] === '"' ? readQuoted(cursor).value : match(cursor, BARE_VALUE)) ?? '';
    }
    if (!params.has(name.toLowerCase())) params.set(name.toLowerCase(), value);
  }
}

/** Skips to the next "," outside a quoted string or a `<…>` target, or to the end. */
function skipElement(cursor: Cursor): void {
  const { text } = cursor;
  let quoted = false;
  let bracketed = false;
  for (; cursor.pos < text.length; cursor.pos++) {
    const char = text[cursor.pos];
    if (quoted) {
      if (char === '\\') cursor.pos += 1;
      else if (char === '"') quoted = false;
    } else if (bracketed) {
      bracketed = char !== '>';
    } else if (char === '"') quoted = true;
    else if (char === '<') bracketed = true;
    else if (char === ',') return;
  }
  cursor.pos = text.length;
}

function toUrl(value: string | URL, base?: URL): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}
