import { describe, expect, it } from 'vitest';
import { validateSpdx23, validateSpdx231, withField } from '../../../test/fixtures/sbom-schemas.js';
import { parseLicenseExpression, type LicenseNode } from './license-expression.js';
import { encodeSbom } from './sbom-document.js';
import type { SpdxDocument, SpdxPackage } from './spdx-model.js';
import { writeSpdx } from './spdx-writer.js';
import { SAMPLE_MANIFEST_DIGEST, sampleInventory } from './testing/sample-inventory.js';
import type { WriteSbomOptions } from './types.js';

const OPTIONS: WriteSbomOptions = {
  toolVersion: '0.1.0',
  image: { repository: 'docker.io/library/debian' },
  created: new Date('2025-03-01T12:34:56.789Z'),
  uuid: '0f6bd6f2-5c8e-4f52-9a5d-1f4c0c1f2e3a',
};

function packageNamed(doc: SpdxDocument, name: string): SpdxPackage {
  const found = doc.packages.find((p) => p.name === name);
  if (!found) throw new Error(`no package ${name}`);
  return found;
}

function identifiers(node: LicenseNode): string[] {
  if (node.kind === 'id') return [node.id];
  if (node.kind === 'with') return identifiers(node.license);
  return node.operands.flatMap(identifiers);
}

describe('writeSpdx', () => {
  const doc = writeSpdx(sampleInventory(), OPTIONS);

  it('writes a document valid against the SPDX 2.3 JSON schema and its 2.3.1 revision', () => {
    const json = JSON.parse(encodeSbom(doc));
    expect(validateSpdx23(json).errors).toEqual([]);
    expect(validateSpdx231(json).errors).toEqual([]);
  });

  it('is checked by a live validator: breaking required fields or enumerations fails it', () => {
    const json = JSON.parse(encodeSbom(doc)) as unknown;
    const valid = (path: (string | number)[], value: unknown) =>
      validateSpdx23(withField(json, path, value)).valid;
    expect(valid(['creationInfo', 'creators'], ['Tool: other-1.0'])).toBe(true);
    expect(valid(['creationInfo'], undefined)).toBe(false);
    expect(valid(['packages', 2, 'downloadLocation'], undefined)).toBe(false);
    expect(valid(['packages', 2, 'externalRefs', 0, 'referenceCategory'], 'PACKAGE_MANAGER')).toBe(false);
    expect(valid(['relationships', 0, 'relationshipType'], 'HAS')).toBe(false);
    expect(valid(['packages', 2, 'unknownField'], true)).toBe(false);
    expect(validateSpdx231(withField(json, ['documentNamespace'], undefined)).valid).toBe(false);
  });

  it('fills the document header', () => {
    expect(doc).toMatchObject({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: `docker.io/library/debian@${SAMPLE_MANIFEST_DIGEST}`,
      documentNamespace: `https://airlock.dev/spdx/image/docker.io/library/debian-${OPTIONS.uuid}`,
      creationInfo: {
        created: '2025-03-01T12:34:56Z',
        creators: ['Tool: airlock-0.1.0'],
        licenseListVersion: '3.24',
      },
    });
  });

  it('describes the image, which contains the OS and every package', () => {
    const image = doc.packages[0]!;
    expect(image).toMatchObject({
      name: 'docker.io/library/debian',
      versionInfo: SAMPLE_MANIFEST_DIGEST,
      primaryPackagePurpose: 'CONTAINER',
      checksums: [{ algorithm: 'SHA256', checksumValue: SAMPLE_MANIFEST_DIGEST.slice(7) }],
    });
    expect(image.externalRefs![0]!.referenceLocator).toMatch(/^pkg:oci\/debian@sha256:/);
    expect(doc.relationships[0]).toEqual({
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: image.SPDXID,
    });
    const contained = doc.relationships.filter((r) => r.relationshipType === 'CONTAINS');
    expect(contained.map((r) => r.relatedSpdxElement)).toEqual(doc.packages.slice(1).map((p) => p.SPDXID));
    expect(contained.every((r) => r.spdxElementId === image.SPDXID)).toBe(true);
    expect(packageNamed(doc, 'debian')).toMatchObject({
      primaryPackagePurpose: 'OPERATING_SYSTEM',
      versionInfo: '12',
      description: 'Debian GNU/Linux 12 (bookworm)',
    });
  });

  it('writes packages with purl, no file analysis, and the files they were read from', () => {
    const libc = packageNamed(doc, 'libc6');
    expect(libc).toMatchObject({
      versionInfo: '2.36-9+deb12u7',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'LGPL-2.1-or-later AND GPL-2.0-or-later',
      primaryPackagePurpose: 'LIBRARY',
      sourceInfo: 'acquired package info from deb metadata: /var/lib/dpkg/status',
    });
    expect(libc.externalRefs).toEqual([
      {
        referenceCategory: 'PACKAGE-MANAGER',
        referenceType: 'purl',
        referenceLocator: expect.stringContaining('upstream=glibc'),
      },
    ]);
  });

  it('declares licences as valid expressions, extracting names that are not on the list', () => {
    expect(packageNamed(doc, 'rake').licenseDeclared).toBe('LicenseRef-GPL-2 AND (MIT OR Apache-2.0)');
    expect(packageNamed(doc, 'base-files').licenseDeclared).toBe('NOASSERTION');
    const extracted = new Map(doc.hasExtractedLicensingInfos!.map((e) => [e.licenseId, e.name]));
    expect(extracted.get('LicenseRef-Apache-License-Version-2.0')).toBe('Apache License, Version 2.0');
    for (const pkg of doc.packages) {
      if (pkg.licenseDeclared === 'NOASSERTION') continue;
      const node = parseLicenseExpression(pkg.licenseDeclared);
      expect(node, pkg.licenseDeclared).toBeDefined();
      for (const id of identifiers(node!).filter((i) => i.startsWith('LicenseRef-')))
        expect(extracted.has(id), id).toBe(true);
    }
  });

  it('gives every element a unique SPDXID of the idstring alphabet', () => {
    const ids = doc.packages.map((p) => p.SPDXID);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
  });

  it('is deterministic for the same inventory and options, whatever the package order', () => {
    const shuffled = sampleInventory();
    shuffled.packages.reverse();
    expect(encodeSbom(writeSpdx(shuffled, OPTIONS))).toBe(encodeSbom(doc));
  });
});
