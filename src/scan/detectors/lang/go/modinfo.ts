/**
 * The module information of a Go executable, in the text form `runtime/debug.BuildInfo`
 * prints and parses (`go version -m` shows it): tab-separated lines `path`, `mod`, `dep`,
 * `=>` (a replacement of the module on the line before) and `build` (settings such as
 * `-ldflags`, `vcs.revision`).
 */
export interface GoModule {
  path: string;
  version: string;
  sum?: string;
  replace?: GoModule;
}

export interface GoBuildInfo {
  /** `go1.22.3`, possibly with a suffix (`go1.22.3 X:boringcrypto`). */
  goVersion: string;
  /** Import path of the main package. */
  path?: string;
  main?: GoModule;
  deps: GoModule[];
  settings: Map<string, string>;
}

const FRAME_BYTES = 16;

/**
 * Removes the sentinels cmd/go frames the module info with (cmd/go/internal/modload,
 * `infoStart`/`infoEnd`). debug/buildinfo tells framed from unframed info by a newline 17
 * bytes from the end; unframed info is not module information (GOPATH builds) and is
 * dropped, as Go does.
 */
export function stripModinfoFraming(bytes: Buffer): Buffer {
  if (bytes.length >= 2 * FRAME_BYTES + 1 && bytes[bytes.length - FRAME_BYTES - 1] === 0x0a) {
    return bytes.subarray(FRAME_BYTES, bytes.length - FRAME_BYTES);
  }
  return Buffer.alloc(0);
}

/**
 * Parses module information (without framing). Lines that do not parse are skipped rather
 * than failing the binary: a partial inventory beats none. Returns the lines skipped.
 */
export function parseModinfo(goVersion: string, text: string): { info: GoBuildInfo; skipped: number } {
  const info: GoBuildInfo = { goVersion, deps: [], settings: new Map() };
  let last: GoModule | undefined;
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    const word = tab < 0 ? line : line.slice(0, tab);
    const rest = tab < 0 ? '' : line.slice(tab + 1);
    const module =
      word === 'mod' || word === 'dep' || word === '=>' ? parseModuleLine(rest, word === '=>') : undefined;
    if (word === 'path') info.path = rest;
    else if (word === 'build' && parseSetting(rest, info.settings)) continue;
    else if (module && word === '=>' && last) {
      last.replace = module;
      last = undefined;
    } else if (module && word === 'mod') last = info.main = module;
    else if (module && word === 'dep') info.deps.push((last = module));
    else if (word !== 'go') skipped++;
  }
  return { info, skipped };
}

function parseModuleLine(rest: string, replacement: boolean): GoModule | undefined {
  const columns = rest.split('\t');
  const valid = replacement ? columns.length === 3 : columns.length === 2 || columns.length === 3;
  if (!valid || columns[0] === '') return undefined;
  const module: GoModule = { path: columns[0]!, version: columns[1]! };
  if (columns[2]) module.sum = columns[2];
  return module;
}

/** `key=value`, either side possibly Go-quoted (runtime/debug quotes values with spaces). */
function parseSetting(rest: string, settings: Map<string, string>): boolean {
  let key: string;
  let raw: string;
  if (rest.startsWith('"') || rest.startsWith('`')) {
    const quoted = quotedPrefix(rest);
    if (quoted === undefined || rest[quoted.length] !== '=') return false;
    key = unquoteGo(quoted) ?? '';
    raw = rest.slice(quoted.length + 1);
  } else {
    const eq = rest.indexOf('=');
    if (eq <= 0) return false;
    key = rest.slice(0, eq);
    raw = rest.slice(eq + 1);
  }
  const value = raw.startsWith('"') || raw.startsWith('`') ? unquoteGo(raw) : raw;
  if (!key || value === undefined) return false;
  settings.set(key, value);
  return true;
}

/** The quoted string at the start of `text`, quotes included (strconv.QuotedPrefix). */
function quotedPrefix(text: string): string | undefined {
  const quote = text[0];
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return text.slice(0, i + 1);
  }
  return undefined;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** strconv.Unquote for the string forms strconv.Quote produces (`"…"` with escapes, or `` `…` ``). */
export function unquoteGo(quoted: string): string | undefined {
  if (quoted.length < 2 || quoted[0] !== quoted[quoted.length - 1]) return undefined;
  const body = quoted.slice(1, -1);
  if (quoted[0] === '`') return body.includes('`') ? undefined : body;
  if (quoted[0] !== '"') return undefined;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '"') return undefined;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = body[++i];
    if (next === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    const digits = hexLength > 0 ? body.slice(i + 1, i + 1 + hexLength) : body.slice(i, i + 3);
    const code =
      hexLength > 0
        ? /^[0-9a-fA-F]+$/.test(digits) && parseInt(digits, 16)
        : /^[0-7]{3}$/.test(digits) && parseInt(digits, 8);
    if (code === false || code > 0x10ffff || digits.length !== (hexLength || 3)) return undefined;
    out += String.fromCodePoint(code);
    i += hexLength > 0 ? hexLength : 2;
  }
  return out;
}
