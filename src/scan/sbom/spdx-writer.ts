import { digestOf, parseDigest } from '../../kernel/index.js';
import type { Inventory, OsInfo, Package } from '../inventory/types.js';
import { documentBasics, formatTimestamp, uniqueIds, type DocumentBasics } from './document-basics.js';
import { conjoinLicenses, licenseRefFor } from './license-expression.js';
import { completePurl } from './package-purl.js';
import { SPDX_LICENSE_LIST_VERSION } from './spdx-license-list.js';
import type { SpdxDocument, SpdxExtractedLicense, SpdxPackage, SpdxRelationship } from './spdx-model.js';
import type { WriteSbomOptions } from './types.js';

/** Base of `documentNamespace`; a URI that names documents, never fetched (SPDX 2.3 §6.5). */
const NAMESPACE_BASE = 'https://airlock.dev/spdx/image';

/**
 * An inventory as an SPDX 2.3 JSON document: the image is the package the document DESCRIBES
 * (purpose CONTAINER, purl `pkg:oci/…`, its digest as checksum); it CONTAINS the operating
 * system (purpose OPERATING_SYSTEM) and every package (purpose LIBRARY, purl as a
 * PACKAGE-MANAGER external reference, declared licences as one expression, the files it was
 * read from in `sourceInfo`). Licences that are not on the SPDX License List become
 * `LicenseRef-` identifiers with their text in `hasExtractedLicensingInfos` (§10).
 */
export function writeSpdx(inventory: Inventory, options: WriteSbomOptions): SpdxDocument {
  const basics = documentBasics(inventory, options);
  const unique = uniqueIds();
  const licenseRefs = new LicenseRefs();
  const image = imagePackage(basics, unique);
  const contained: SpdxPackage[] = [];
  if (inventory.os) contained.push(osPackage(inventory.os, unique));
  for (const pkg of basics.packages) contained.push(libraryPackage(pkg, unique, licenseRefs));
  const relationships: SpdxRelationship[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: image.SPDXID },
    ...contained.map((p): SpdxRelationship => ({
      spdxElementId: image.SPDXID,
      relationshipType: 'CONTAINS',
      relatedSpdxElement: p.SPDXID,
    })),
  ];
  const document: SpdxDocument = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name:
      basics.imageName === basics.imageDigest
        ? basics.imageDigest
        : `${basics.imageName}@${basics.imageDigest}`,
    documentNamespace: `${NAMESPACE_BASE}/${uriSegment(basics.imageName)}-${basics.uuid}`,
    creationInfo: {
      created: formatTimestamp(basics.created),
      creators: [`Tool: airlock-${basics.toolVersion}`],
      licenseListVersion: SPDX_LICENSE_LIST_VERSION,
    },
    packages: [image, ...contained].map(inFieldOrder),
    relationships,
  };
  const extracted = licenseRefs.extracted();
  if (extracted.length > 0) document.hasExtractedLicensingInfos = extracted;
  return document;
}

function imagePackage(basics: DocumentBasics, unique: (id: string) => string): SpdxPackage {
  const image: SpdxPackage = {
    SPDXID: unique(`SPDXRef-Image-${idString(basics.imageName)}`),
    name: basics.imageName,
    versionInfo: basics.imageDigest,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    externalRefs: [purlRef(basics.imagePurl)],
    primaryPackagePurpose: 'CONTAINER',
  };
  const { algorithm, encoded } = parseDigest(basics.imageDigest);
  if (algorithm === 'sha256' || algorithm === 'sha512') {
    image.checksums = [{ algorithm: algorithm === 'sha256' ? 'SHA256' : 'SHA512', checksumValue: encoded }];
  }
  return image;
}

function osPackage(os: OsInfo, unique: (id: string) => string): SpdxPackage {
  const pkg: SpdxPackage = {
    SPDXID: unique(`SPDXRef-OperatingSystem-${idString(os.versionId ? `${os.id}-${os.versionId}` : os.id)}`),
    name: os.id,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: 'OPERATING_SYSTEM',
  };
  if (os.versionId) pkg.versionInfo = os.versionId;
  if (os.prettyName) pkg.description = os.prettyName;
  return pkg;
}

function libraryPackage(pkg: Package, unique: (id: string) => string, licenseRefs: LicenseRefs): SpdxPackage {
  const purl = completePurl(pkg);
  // A digest of what tells equal-named packages apart keeps identifiers stable across runs.
  const fingerprint = digestOf(new TextEncoder().encode([purl, ...pkg.locations].join('\n'))).slice(7, 23);
  const out: SpdxPackage = {
    SPDXID: unique(`SPDXRef-Package-${pkg.type}-${idString(pkg.name)}-${fingerprint}`),
    name: pkg.name,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: conjoinLicenses(pkg.licenses ?? [], (name) => licenseRefs.refFor(name)) ?? 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    externalRefs: [purlRef(purl)],
    primaryPackagePurpose: 'LIBRARY',
  };
  if (pkg.version) out.versionInfo = pkg.version;
  const locations = [...new Set(pkg.locations)];
  if (locations.length > 0)
    out.sourceInfo = `acquired package info from ${pkg.type} metadata: ${locations.join(', ')}`;
  return out;
}

// The order of SPDX 2.3 §7, so that documents read like the specification's examples. A
// Record, so that a field added to SpdxPackage must be given a place here.
const PACKAGE_FIELD_RANK: Record<keyof SpdxPackage, number> = {
  SPDXID: 0,
  name: 1,
  versionInfo: 2,
  downloadLocation: 3,
  filesAnalyzed: 4,
  checksums: 5,
  sourceInfo: 6,
  licenseConcluded: 7,
  licenseDeclared: 8,
  copyrightText: 9,
  description: 10,
  externalRefs: 11,
  primaryPackagePurpose: 12,
};

function inFieldOrder(pkg: SpdxPackage): SpdxPackage {
  const keys = (Object.keys(pkg) as (keyof SpdxPackage)[]).sort(
    (a, b) => PACKAGE_FIELD_RANK[a] - PACKAGE_FIELD_RANK[b],
  );
  return Object.fromEntries(keys.map((key) => [key, pkg[key]])) as unknown as SpdxPackage;
}

function purlRef(purl: string): {
  referenceCategory: 'PACKAGE-MANAGER';
  referenceType: 'purl';
  referenceLocator: string;
} {
  return { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl };
}

/** One `LicenseRef-` per distinct licence name in the document, with its text (§10.1). */
class LicenseRefs {
  private readonly byName = new Map<string, string>();
  private readonly unique = uniqueIds();

  refFor(name: string): string {
    let ref = this.byName.get(name);
    if (ref === undefined) {
      ref = this.unique(licenseRefFor(name));
      this.byName.set(name, ref);
    }
    return ref;
  }

  extracted(): SpdxExtractedLicense[] {
    return [...this.byName]
      .map(([name, licenseId]) => ({ licenseId, name, extractedText: name }))
      .sort((a, b) => (a.licenseId < b.licenseId ? -1 : a.licenseId > b.licenseId ? 1 : 0));
  }
}

/** SPDX 2.3 §3.2 idstring: letters, digits, "." and "-". */
function idString(text: string): string {
  const id = text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '');
  return id === '' ? 'unnamed' : id;
}

function uriSegment(text: string): string {
  return text.replace(/[^A-Za-z0-9._/-]+/g, '-');
}
