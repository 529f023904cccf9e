import { AppError } from '../../kernel/index.js';
import type { OsInfo, Package } from '../inventory/types.js';
import { fromCycloneDxLicenses } from './cyclonedx-licenses.js';
import { AirlockProperty } from './cyclonedx-model.js';
import { isRecord, recordsField, stringField, type JsonRecord } from './json-value.js';
import { inferOsFromPurls, type DistroHint } from './os-inference.js';
import { describedEntry, packageFromEntry, type EntryFacts } from './sbom-package.js';
import { SkippedComponents } from './skipped-components.js';
import type { ParsedSbom, ReadSbomOptions } from './types.js';

// CycloneDX minor versions only add fields; components, purls and licences are read the same
// way from 1.2 on. The issue asks for 1.4–1.6; 1.7 is what current syft writes.
const SPEC_VERSION = /^1\.([2-9]|\d{2,})$/;
// Nested `components` deeper than this are not packages but a hostile or broken document.
const MAX_NESTING = 64;

/**
 * Reads a CycloneDX JSON BOM (1.4–1.7) into packages: every component with a purl of an
 * ecosystem Airlock inventories, nested components included; the `operating-system`
 * component as the OS (else the OS is inferred from OS packages' purls). Understands the
 * properties Airlock, syft and trivy write for source packages and file locations.
 */
export function readCycloneDx(document: unknown, options: ReadSbomOptions = {}): ParsedSbom {
  const where = options.source ?? 'CycloneDX document';
  if (!isRecord(document) || document.bomFormat !== 'CycloneDX') {
    throw new AppError(
      'SCAN_SBOM_INVALID',
      `${where} is not a CycloneDX JSON BOM (bomFormat must be "CycloneDX")`,
    );
  }
  const specVersion = typeof document.specVersion === 'string' ? document.specVersion : '';
  if (!SPEC_VERSION.test(specVersion)) {
    throw new AppError(
      'SCAN_SBOM_UNSUPPORTED',
      `${where} has CycloneDX specVersion ${JSON.stringify(document.specVersion)}; supported are 1.2 to 1.7`,
    );
  }
  if (document.components !== undefined && !Array.isArray(document.components)) {
    throw new AppError('SCAN_SBOM_INVALID', `${where}: field "components" must be an array`);
  }
  const metadata = isRecord(document.metadata) ? document.metadata : {};
  const parsed: ParsedSbom = {
    format: 'cyclonedx',
    specVersion,
    tools: toolNames(metadata.tools),
    packages: [],
    notices: [],
  };
  const serial = stringField(document, 'serialNumber');
  if (serial) parsed.documentId = serial;
  const described = isRecord(metadata.component) ? metadata.component : undefined;
  if (described && stringField(described, 'name')) {
    parsed.describes = describedEntry(
      stringField(described, 'name')!,
      stringField(described, 'version'),
      stringField(described, 'purl'),
    );
  }
  collectComponents(flattenComponents(document, where), parsed, where);
  return parsed;
}

function collectComponents(components: JsonRecord[], parsed: ParsedSbom, where: string): void {
  const skipped = new SkippedComponents();
  const hints: DistroHint[] = [];
  for (const component of components) {
    const name = stringField(component, 'name') ?? '(unnamed)';
    if (component.type === 'operating-system') {
      if (!parsed.os) parsed.os = osFromComponent(component, name);
      continue;
    }
    const result = packageFromEntry(componentFacts(component, name));
    if (!result.ok) {
      skipped.add(result.reason, name);
      continue;
    }
    parsed.packages.push(result.package);
    if (result.distro) hints.push(result.distro);
  }
  parsed.os ??= inferOsFromPurls(hints);
  parsed.notices.push(...skipped.notices(where));
}

function flattenComponents(document: JsonRecord, where: string): JsonRecord[] {
  const out: JsonRecord[] = [];
  const stack: { component: JsonRecord; depth: number }[] = recordsField(document, 'components')
    .reverse()
    .map((component) => ({ component, depth: 1 }));
  while (stack.length > 0) {
    const { component, depth } = stack.pop()!;
    if (depth > MAX_NESTING) {
      throw new AppError(
        'SCAN_SBOM_INVALID',
        `${where}: components are nested more than ${MAX_NESTING} levels deep`,
      );
    }
    out.push(component);
    const children = recordsField(component, 'components');
    for (let i = children.length - 1; i >= 0; i -= 1)
      stack.push({ component: children[i]!, depth: depth + 1 });
  }
  return out;
}

function componentFacts(component: JsonRecord, name: string): EntryFacts {
  const properties = propertiesOf(component);
  const facts: EntryFacts = {
    name,
    version: stringField(component, 'version'),
    purl: stringField(component, 'purl'),
    licenses: fromCycloneDxLicenses(component.licenses),
    locations: locationsOf(component, properties),
  };
  const source = sourceOf(properties);
  if (source) facts.source = source;
  const architecture = first(properties, AirlockProperty.Architecture);
  if (architecture) facts.architecture = architecture;
  const foundIn = first(properties, AirlockProperty.FoundIn);
  if (foundIn) facts.foundIn = foundIn;
  return facts;
}

function propertiesOf(component: JsonRecord): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const property of recordsField(component, 'properties')) {
    const name = stringField(property, 'name');
    const value = stringField(property, 'value');
    if (name === undefined || value === undefined) continue;
    map.set(name, [...(map.get(name) ?? []), value]);
  }
  return map;
}

function first(properties: Map<string, string[]>, name: string): string | undefined {
  return properties.get(name)?.[0];
}

function locationsOf(component: JsonRecord, properties: Map<string, string[]>): string[] {
  const locations: string[] = [];
  const evidence = isRecord(component.evidence) ? component.evidence : {};
  for (const occurrence of recordsField(evidence, 'occurrences')) {
    const location = stringField(occurrence, 'location');
    if (location) locations.push(location);
  }
  for (const [name, values] of properties) {
    // syft: syft:location:<n>:path; trivy: aquasecurity:trivy:FilePath.
    if (/^syft:location:\d+:path$/.test(name) || name === 'aquasecurity:trivy:FilePath')
      locations.push(...values);
  }
  return locations;
}

/** The source package as Airlock, syft or trivy state it in properties. */
function sourceOf(properties: Map<string, string[]>): Package['source'] {
  const name =
    first(properties, AirlockProperty.SourceName) ??
    first(properties, 'syft:metadata:source') ??
    first(properties, 'aquasecurity:trivy:SrcName');
  if (name === undefined) return undefined;
  const version =
    first(properties, AirlockProperty.SourceVersion) ??
    first(properties, 'syft:metadata:sourceVersion') ??
    trivySourceVersion(properties);
  return version ? { name, version } : { name };
}

function trivySourceVersion(properties: Map<string, string[]>): string | undefined {
  const version = first(properties, 'aquasecurity:trivy:SrcVersion');
  if (version === undefined) return undefined;
  const release = first(properties, 'aquasecurity:trivy:SrcRelease');
  const epoch = first(properties, 'aquasecurity:trivy:SrcEpoch');
  const full = release ? `${version}-${release}` : version;
  return epoch && epoch !== '0' ? `${epoch}:${full}` : full;
}

function osFromComponent(component: JsonRecord, name: string): OsInfo {
  const properties = propertiesOf(component);
  const os: OsInfo = { id: name.toLowerCase(), idLike: idLikeOf(properties) };
  const version = stringField(component, 'version');
  if (version) os.versionId = version;
  const description = stringField(component, 'description') ?? first(properties, 'syft:distro:prettyName');
  if (description) os.prettyName = description;
  const codename =
    first(properties, AirlockProperty.OsVersionCodename) ?? first(properties, 'syft:distro:versionCodename');
  if (codename) os.versionCodename = codename;
  if (first(properties, AirlockProperty.OsDistroless) === 'true') os.distroless = true;
  return os;
}

function idLikeOf(properties: Map<string, string[]>): string[] {
  const ours = first(properties, AirlockProperty.OsIdLike);
  if (ours) return ours.split(/\s+/);
  return [...properties]
    .filter(([name]) => /^syft:distro:idLike:\d+$/.test(name))
    .flatMap(([, values]) => values);
}

function toolNames(tools: unknown): string[] {
  // 1.5+: { components: [...], services: [...] }; 1.4 and earlier: an array of { vendor, name, version }.
  const entries = Array.isArray(tools)
    ? tools.filter(isRecord)
    : isRecord(tools)
      ? [...recordsField(tools, 'components'), ...recordsField(tools, 'services')]
      : [];
  return entries.flatMap((tool) => {
    const name = stringField(tool, 'name');
    if (!name) return [];
    const version = stringField(tool, 'version');
    return [version ? `${name}-${version}` : name];
  });
}
