/**
 * Python core metadata (PyPA "Core metadata specifications", versions 1.0–2.4): the RFC 822
 * style header block of a `.dist-info/METADATA` or `.egg-info/PKG-INFO` file. Only the header
 * block is read; the description that may follow the first blank line is not.
 */
export type CoreMetadata = ReadonlyMap<string, readonly string[]>;

/** Header names, lower-cased, to their values in order; folded lines are joined with `\n`. */
export function parseCoreMetadata(text: string): CoreMetadata {
  const headers = new Map<string, string[]>();
  let current: { values: string[]; index: number } | undefined;
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (line.trim() === '') break;
    if (/^[ \t]/.test(line)) {
      if (current) current.values[current.index] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      current = undefined;
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const values = headers.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(name, values);
    current = { values, index: values.length - 1 };
  }
  return headers;
}

export function firstHeader(metadata: CoreMetadata, name: string): string | undefined {
  const value = metadata.get(name.toLowerCase())?.[0]?.trim();
  return value ? value : undefined;
}

/** Longer than this, or spanning lines, a `License:` value is the licence's text, not its name. */
const MAX_LICENSE_NAME_CHARS = 100;
const CLASSIFIER_PREFIX = 'License ::';

/**
 * Licences as the metadata states them, from the most to the least precise source:
 * `License-Expression` (an SPDX expression, metadata 2.4), else `License` when it names a
 * licence (older tools put the whole licence text there, and `UNKNOWN` when there was none),
 * else the trove classifiers (`License :: OSI Approved :: MIT License` → `MIT License`).
 */
export function pythonLicenses(metadata: CoreMetadata): string[] {
  const expression = firstHeader(metadata, 'License-Expression');
  if (expression) return [expression];
  const license = firstHeader(metadata, 'License');
  if (license && isLicenseName(license)) return [license];
  const out: string[] = [];
  for (const classifier of metadata.get('classifier') ?? []) {
    if (!classifier.startsWith(CLASSIFIER_PREFIX)) continue;
    const parts = classifier.split('::').map((part) => part.trim());
    const name = parts[parts.length - 1]!;
    // `License :: OSI Approved` alone says nothing about which licence.
    if (parts.length >= 3 && name && !out.includes(name)) out.push(name);
  }
  return out;
}

function isLicenseName(value: string): boolean {
  return !value.includes('\n') && value.length <= MAX_LICENSE_NAME_CHARS && value.toUpperCase() !== 'UNKNOWN';
}

/** PEP 503 name normalisation, as pip and PyPI compare names (and the purl spec asks for). */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
