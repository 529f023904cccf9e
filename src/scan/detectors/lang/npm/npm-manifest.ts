/**
 * The fields of an installed package's `package.json` the inventory needs (npm docs,
 * "package.json": `name`, `version`, `license`; the deprecated `licenses` array).
 */
export interface NpmManifest {
  name: string;
  version: string;
  licenses: string[];
}

export type NpmManifestParse = { ok: true; manifest: NpmManifest } | { ok: false; problem: string };

export function parseNpmManifest(content: Buffer): NpmManifestParse {
  let json: unknown;
  try {
    json = JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, problem: `is not valid JSON (${(error as Error).message})` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { ok: false, problem: 'is not a JSON object' };
  const fields = json as Record<string, unknown>;
  const name = typeof fields.name === 'string' ? fields.name.trim() : '';
  const version = typeof fields.version === 'string' ? fields.version.trim() : '';
  if (!name) return { ok: false, problem: 'has no "name"' };
  if (!version) return { ok: false, problem: `has no "version" (package ${name})` };
  return { ok: true, manifest: { name, version, licenses: npmLicenses(fields) } };
}

/**
 * Licences as the manifest states them: `license` is an SPDX expression (or `SEE LICENSE IN
 * <file>`, `UNLICENSED`), kept verbatim; the legacy object form `{ "type": "MIT", "url": … }`
 * and the deprecated `licenses: [{ type, url }]` array contribute their `type`.
 */
export function npmLicenses(fields: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(add);
      return;
    }
    const text =
      typeof value === 'string'
        ? value
        : typeof value === 'object' &&
            value !== null &&
            typeof (value as { type?: unknown }).type === 'string'
          ? (value as { type: string }).type
          : '';
    if (text.trim() && !out.includes(text.trim())) out.push(text.trim());
  };
  add(fields.license);
  add(fields.licenses);
  return out;
}
