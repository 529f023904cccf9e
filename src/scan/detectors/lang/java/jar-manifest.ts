/**
 * The main section of a JAR manifest (JAR File Specification, "JAR Manifest"): `Name: value`
 * headers up to the first blank line, lines wrapped at 72 bytes with continuation lines
 * starting with a single space. Header names are matched case-insensitively, as the
 * specification says.
 */
export function parseJarManifest(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    if (line === '') break;
    if (line.startsWith(' ')) {
      if (last !== undefined) headers.set(last, headers.get(last)! + line.slice(1));
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      last = undefined;
      continue;
    }
    last = line.slice(0, colon).trim().toLowerCase();
    headers.set(last, line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * Licence names from `Bundle-License` (OSGi Core R8 3.2.1.10): a comma-separated list of
 * `name;description=…;link=…` clauses, or the bare URL many builds write. URLs are not
 * licence names and are left out; `<<EXTERNAL>>` means "see the bundle".
 */
export function bundleLicenses(value: string | undefined): string[] {
  if (!value) return [];
  const names: string[] = [];
  for (const clause of splitOutsideQuotes(value, ',')) {
    const name = splitOutsideQuotes(clause, ';')[0]!.trim().replace(/^"|"$/g, '');
    if (name && name !== '<<EXTERNAL>>' && !/^[a-z]+:\/\//i.test(name) && !names.includes(name))
      names.push(name);
  }
  return names;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (char === separator && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}
