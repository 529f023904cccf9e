/**
 * Parses the `.properties` format (java.util.Properties#load(Reader)), which Maven writes
 * `pom.properties` in: `key=value`, `key: value` or `key value`; `#`/`!` comments; a
 * backslash at the end of a line continues it; `\uXXXX` and `\t`-style escapes.
 */
export function parseJavaProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const line of logicalLines(text)) {
    const { key, value } = splitKeyValue(line);
    if (key !== '') properties.set(unescape(key), unescape(value));
  }
  return properties;
}

function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending: string | undefined;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line =
      pending === undefined ? raw.replace(/^[ \t\f]+/, '') : pending + raw.replace(/^[ \t\f]+/, '');
    if (pending === undefined && (line === '' || line.startsWith('#') || line.startsWith('!'))) continue;
    const trailing = /\\+$/.exec(line)?.[0].length ?? 0;
    if (trailing % 2 === 1) pending = line.slice(0, -1);
    else {
      lines.push(line);
      pending = undefined;
    }
  }
  if (pending !== undefined) lines.push(pending);
  return lines;
}

function splitKeyValue(line: string): { key: string; value: string } {
  let i = 0;
  while (i < line.length) {
    const char = line[i]!;
    if (char === '\\') i += 2;
    else if (char === '=' || char === ':' || /[ \t\f]/.test(char)) break;
    else i++;
  }
  const key = line.slice(0, i);
  let rest = line.slice(i).replace(/^[ \t\f]+/, '');
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]+/, '');
  return { key, value: rest };
}

const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_match, escape: string) => {
    if (escape.length === 5) return String.fromCharCode(parseInt(escape.slice(1), 16));
    return ESCAPES[escape] ?? escape;
  });
}
