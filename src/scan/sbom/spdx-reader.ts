import { AppError } from '../../kernel/index.js';
import type { OsInfo } from '../inventory/types.js';
import { isRecord, recordsField, stringField, type JsonRecord } from './json-value.js';
import { splitConjunction } from './license-expression.js';
import { inferOsFromPurls, type DistroHint } from './os-inference.js';
import { describedEntry, packageFromEntry, type EntryFacts } from './sbom-package.js';
import { SkippedComponents } from './skipped-components.js';
import { SOURCE_INFO_PATTERN } from './spdx-model.js';
import type { ParsedSbom, ReadSbomOptions } from './types.js';

const SPEC_VERSION = /^SPDX-(2\.[1-3])$/;
const NO_LICENSE = new Set(['NOASSERTION', 'NONE']);
// trivy states the source package of OS packages this way.
const BUILT_FROM_PATTERN = /^built package from: (\S+)(?: (\S+))?$/;
// A licence text longer than this is not shown as a licence name; its identifier is.
const MAX_LICENSE_NAME = 200;

/**
 * Reads an SPDX 2.2/2.3 JSON document into packages: every package with a purl external
 * reference of an ecosystem Airlock inventories; the OPERATING_SYSTEM package as the OS
 * (else the OS is inferred from OS packages' purls). The package the document DESCRIBES is
 * the image, not a package of it. `LicenseRef-`s are resolved to the names the document
 * extracted for them.
 */
export function readSpdx(document: unknown, options: ReadSbomOptions = {}): ParsedSbom {
  const where = options.source ?? 'SPDX document';
  if (!isRecord(document) || typeof document.spdxVersion !== 'string') {
    throw new AppError('SCAN_SBOM_INVALID', `${where} is not an SPDX JSON document (no "spdxVersion")`);
  }
  const version = SPEC_VERSION.exec(document.spdxVersion);
  if (!version) {
    throw new AppError(
      'SCAN_SBOM_UNSUPPORTED',
      `${where} has spdxVersion ${JSON.stringify(document.spdxVersion)}; supported are SPDX-2.1 to SPDX-2.3 (JSON)`,
    );
  }
  if (document.packages !== undefined && !Array.isArray(document.packages)) {
    throw new AppError('SCAN_SBOM_INVALID', `${where}: field "packages" must be an array`);
  }
  const creationInfo = isRecord(document.creationInfo) ? document.creationInfo : {};
  const parsed: ParsedSbom = {
    format: 'spdx',
    specVersion: version[1]!,
    tools: toolNames(creationInfo.creators),
    packages: [],
    notices: [],
  };
  const namespace = stringField(document, 'documentNamespace');
  if (namespace) parsed.documentId = namespace;
  const packages = recordsField(document, 'packages');
  const described = describedIds(document);
  const root = packages.find((p) => described.has(String(p.SPDXID)));
  if (root && stringField(root, 'name')) {
    parsed.describes = describedEntry(
      stringField(root, 'name')!,
      stringField(root, 'versionInfo'),
      purlOf(root),
    );
  }
  collectPackages(packages, described, licenseNames(document), parsed, where);
  return parsed;
}

function collectPackages(
  packages: JsonRecord[],
  described: Set<string>,
  licenseNames: Map<string, string>,
  parsed: ParsedSbom,
  where: string,
): void {
  const skipped = new SkippedComponents();
  const hints: DistroHint[] = [];
  for (const spdxPackage of packages) {
    const name = stringField(spdxPackage, 'name') ?? '(unnamed)';
    const purpose = stringField(spdxPackage, 'primaryPackagePurpose')?.replace('-', '_');
    if (purpose === 'OPERATING_SYSTEM') {
      if (!parsed.os) parsed.os = osFromPackage(spdxPackage, name);
      continue;
    }
    if (purpose === 'CONTAINER' || (described.has(String(spdxPackage.SPDXID)) && !isInventoried(spdxPackage)))
      continue;
    const result = packageFromEntry(packageFacts(spdxPackage, name, licenseNames));
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

function packageFacts(spdxPackage: JsonRecord, name: string, licenseNames: Map<string, string>): EntryFacts {
  const facts: EntryFacts = {
    name,
    version: stringField(spdxPackage, 'versionInfo'),
    purl: purlOf(spdxPackage),
    licenses: licensesOf(spdxPackage, licenseNames),
    locations: [],
  };
  const sourceInfo = stringField(spdxPackage, 'sourceInfo');
  const locations = sourceInfo === undefined ? undefined : SOURCE_INFO_PATTERN.exec(sourceInfo);
  if (locations) facts.locations = locations[1]!.split(', ').filter((path) => path.startsWith('/'));
  const builtFrom = sourceInfo === undefined ? undefined : BUILT_FROM_PATTERN.exec(sourceInfo);
  if (builtFrom)
    facts.source = builtFrom[2] ? { name: builtFrom[1]!, version: builtFrom[2] } : { name: builtFrom[1]! };
  return facts;
}

/** The purl external reference (2.3 spells the category PACKAGE-MANAGER, 2.2 PACKAGE_MANAGER). */
function purlOf(spdxPackage: JsonRecord): string | undefined {
  for (const ref of recordsField(spdxPackage, 'externalRefs')) {
    if (ref.referenceType === 'purl') return stringField(ref, 'referenceLocator');
  }
  return undefined;
}

function isInventoried(spdxPackage: JsonRecord): boolean {
  const purl = purlOf(spdxPackage);
  return purl !== undefined && !/^pkg:(oci|docker)\//.test(purl);
}

function licensesOf(spdxPackage: JsonRecord, licenseNames: Map<string, string>): string[] {
  const declared = stringField(spdxPackage, 'licenseDeclared');
  const concluded = stringField(spdxPackage, 'licenseConcluded');
  const expression =
    declared && !NO_LICENSE.has(declared)
      ? declared
      : concluded && !NO_LICENSE.has(concluded)
        ? concluded
        : undefined;
  if (expression === undefined) return [];
  return [...new Set(splitConjunction(expression).map((part) => licenseNames.get(part) ?? part))];
}

/** `LicenseRef-…` → the licence's name (or its short extracted text) from hasExtractedLicensingInfos. */
function licenseNames(document: JsonRecord): Map<string, string> {
  const names = new Map<string, string>();
  for (const info of recordsField(document, 'hasExtractedLicensingInfos')) {
    const id = stringField(info, 'licenseId');
    const text = stringField(info, 'extractedText');
    const name =
      stringField(info, 'name') ??
      (text && text.length <= MAX_LICENSE_NAME && !text.includes('\n') ? text : undefined);
    if (id && name) names.set(id, name);
  }
  return names;
}

/** Targets of `SPDXRef-DOCUMENT DESCRIBES …` and of the 2.2 `documentDescribes` list. */
function describedIds(document: JsonRecord): Set<string> {
  const ids = new Set<string>();
  for (const relationship of recordsField(document, 'relationships')) {
    if (relationship.spdxElementId === 'SPDXRef-DOCUMENT' && relationship.relationshipType === 'DESCRIBES') {
      ids.add(String(relationship.relatedSpdxElement));
    }
  }
  if (Array.isArray(document.documentDescribes))
    for (const id of document.documentDescribes) ids.add(String(id));
  return ids;
}

function osFromPackage(spdxPackage: JsonRecord, name: string): OsInfo {
  const os: OsInfo = { id: name.toLowerCase(), idLike: [] };
  const version = stringField(spdxPackage, 'versionInfo');
  if (version) os.versionId = version;
  const description = stringField(spdxPackage, 'description');
  if (description) os.prettyName = description;
  return os;
}

/** `Tool: syft-1.14.0` → `syft-1.14.0` (SPDX 2.3 §6.8). */
function toolNames(creators: unknown): string[] {
  if (!Array.isArray(creators)) return [];
  return creators.flatMap((creator) => {
    const match = typeof creator === 'string' ? /^Tool:\s*(.+)$/.exec(creator) : null;
    return match ? [match[1]!.trim()] : [];
  });
}
