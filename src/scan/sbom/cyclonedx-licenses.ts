import type { CycloneDxLicenseChoice } from './cyclonedx-model.js';
import { isRecord } from './json-value.js';
import { classifyLicense, conjoinLicenses, licenseRefFor, splitConjunction } from './license-expression.js';

/**
 * Licences in CycloneDX 1.6 ("licenseChoice"): a list of licences, each an SPDX License List
 * `id` or a free-text `name`, or else exactly one SPDX `expression` — the two cannot be mixed.
 */
export function toCycloneDxLicenses(
  licenses: readonly string[] | undefined,
): CycloneDxLicenseChoice | undefined {
  const classified = [...new Set(licenses ?? [])].filter((l) => l.trim() !== '').map(classifyLicense);
  if (classified.length === 0) return undefined;
  const hasExpression = classified.some((c) => c.kind === 'expression');
  if (hasExpression && classified.every((c) => c.kind !== 'name')) {
    return [{ expression: conjoinLicenses(classified.map(textOf), licenseRefFor)! }];
  }
  // Without expressions this is the plain list. With an expression next to a licence that is
  // only a name, an expression could carry the name only as an opaque LicenseRef, so each is
  // kept as it was stated and the expression goes in as a name.
  return classified.map((c) =>
    c.kind === 'id' ? { license: { id: c.id } } : { license: { name: textOf(c) } },
  );
}

/** The licence strings of a component's `licenses`, conjunctions split into their licences. */
export function fromCycloneDxLicenses(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const entry of value) {
    if (!isRecord(entry)) continue;
    if (typeof entry.expression === 'string') out.push(...splitConjunction(entry.expression));
    const license = entry.license;
    if (!isRecord(license)) continue;
    if (typeof license.id === 'string') out.push(license.id);
    else if (typeof license.name === 'string') out.push(license.name);
  }
  return [...new Set(out.map((l) => l.trim()).filter((l) => l !== ''))];
}

function textOf(c: ReturnType<typeof classifyLicense>): string {
  return c.kind === 'id' ? c.id : c.kind === 'name' ? c.name : c.expression;
}
