import { describe, expect, it } from 'vitest';
import { readSpdx } from './spdx-reader.js';

const purlRef = (purl: string, category = 'PACKAGE-MANAGER') => ({
  referenceCategory: category,
  referenceType: 'purl',
  referenceLocator: purl,
});

/** Shaped like syft's SPDX 2.3 JSON for an image, as BuildKit's SBOM generator attaches it. */
const SYFT_STYLE = {
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: 'sbom',
  documentNamespace: 'https://anchore.com/syft/image/sbom-5c1b3d2e',
  creationInfo: {
    licenseListVersion: '3.25',
    creators: ['Organization: Anchore, Inc', 'Tool: syft-v1.19.0'],
    created: '2025-02-01T10:00:00Z',
  },
  packages: [
    {
      name: 'libgcrypt20',
      SPDXID: 'SPDXRef-Package-deb-libgcrypt20-1f2e',
      versionInfo: '1.10.1-3',
      supplier: 'Person: Debian GnuTLS Maintainers',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      sourceInfo:
        'acquired package info from DPKG DB: /var/lib/dpkg/status, /usr/share/doc/libgcrypt20/copyright',
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'GPL-2.0-only AND LicenseRef-LGPL AND LicenseRef-Very-long',
      copyrightText: 'NOASSERTION',
      externalRefs: [
        {
          referenceCategory: 'SECURITY',
          referenceType: 'cpe23Type',
          referenceLocator: 'cpe:2.3:a:libgcrypt20:libgcrypt20:1.10.1-3:*:*:*:*:*:*:*',
        },
        purlRef('pkg:deb/debian/libgcrypt20@1.10.1-3?arch=amd64&distro=debian-12'),
      ],
    },
    {
      name: 'certifi',
      SPDXID: 'SPDXRef-Package-python-certifi-9a8b',
      versionInfo: '2024.2.2',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      sourceInfo:
        'acquired package info from installed python package manifest file: /usr/lib/python3/dist-packages/certifi-2024.2.2.dist-info/METADATA',
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'MPL-2.0',
      externalRefs: [purlRef('pkg:pypi/certifi@2024.2.2')],
    },
    { name: '/etc/passwd', SPDXID: 'SPDXRef-Package-file', downloadLocation: 'NOASSERTION' },
    {
      name: 'sbom',
      SPDXID: 'SPDXRef-DocumentRoot-Image-sbom',
      versionInfo: 'sha256:0123',
      downloadLocation: 'NOASSERTION',
      externalRefs: [purlRef('pkg:oci/sbom@sha256%3A0123?arch=amd64')],
      primaryPackagePurpose: 'CONTAINER',
    },
  ],
  hasExtractedLicensingInfos: [
    { licenseId: 'LicenseRef-LGPL', extractedText: 'LGPL' },
    { licenseId: 'LicenseRef-Very-long', extractedText: 'Permission is hereby granted\nto do many things' },
  ],
  relationships: [
    {
      spdxElementId: 'SPDXRef-DocumentRoot-Image-sbom',
      relatedSpdxElement: 'SPDXRef-Package-deb-libgcrypt20-1f2e',
      relationshipType: 'CONTAINS',
    },
    {
      spdxElementId: 'SPDXRef-DOCUMENT',
      relatedSpdxElement: 'SPDXRef-DocumentRoot-Image-sbom',
      relationshipType: 'DESCRIBES',
    },
  ],
};

describe('readSpdx', () => {
  it('reads syft-style packages: purl identity, locations from sourceInfo, licences with LicenseRefs resolved', () => {
    const sbom = readSpdx(SYFT_STYLE, { source: 'sbom.spdx.json' });
    expect(sbom).toMatchObject({
      format: 'spdx',
      specVersion: '2.3',
      tools: ['syft-v1.19.0'],
      documentId: SYFT_STYLE.documentNamespace,
    });
    expect(sbom.describes).toEqual({
      name: 'sbom',
      version: 'sha256:0123',
      purl: 'pkg:oci/sbom@sha256%3A0123?arch=amd64',
    });
    expect(sbom.packages).toEqual([
      {
        type: 'deb',
        name: 'libgcrypt20',
        version: '1.10.1-3',
        purl: 'pkg:deb/debian/libgcrypt20@1.10.1-3?arch=amd64&distro=debian-12',
        locations: ['/var/lib/dpkg/status', '/usr/share/doc/libgcrypt20/copyright'],
        licenses: ['GPL-2.0-only', 'LGPL', 'LicenseRef-Very-long'],
        architecture: 'amd64',
      },
      {
        type: 'pypi',
        name: 'certifi',
        version: '2024.2.2',
        purl: 'pkg:pypi/certifi@2024.2.2',
        locations: ['/usr/lib/python3/dist-packages/certifi-2024.2.2.dist-info/METADATA'],
        licenses: ['MPL-2.0'],
      },
    ]);
    expect(sbom.os).toEqual({ id: 'debian', versionId: '12', idLike: [] });
    expect(sbom.notices.map((n) => n.message)).toEqual([
      'sbom.spdx.json: skipped 1 entry (no package URL): /etc/passwd',
    ]);
  });

  it('reads trivy-style OS packages: the OS package, and the source package from sourceInfo', () => {
    const sbom = readSpdx({
      spdxVersion: 'SPDX-2.3',
      creationInfo: { creators: ['Organization: aquasecurity', 'Tool: trivy-0.58.1'] },
      packages: [
        {
          name: 'debian',
          SPDXID: 'SPDXRef-OperatingSystem-1',
          versionInfo: '12.9',
          primaryPackagePurpose: 'OPERATING-SYSTEM',
        },
        {
          name: 'libc6',
          SPDXID: 'SPDXRef-Package-2',
          versionInfo: '2.36-9+deb12u9',
          sourceInfo: 'built package from: glibc 2.36-9+deb12u9',
          licenseConcluded: 'LGPL-2.1-only',
          licenseDeclared: 'NONE',
          externalRefs: [purlRef('pkg:deb/debian/libc6@2.36-9%2Bdeb12u9?arch=amd64&distro=debian-12.9')],
          primaryPackagePurpose: 'LIBRARY',
        },
      ],
    });
    expect(sbom.os).toEqual({ id: 'debian', versionId: '12.9', idLike: [] });
    expect(sbom.packages[0]).toMatchObject({
      source: { name: 'glibc', version: '2.36-9+deb12u9' },
      licenses: ['LGPL-2.1-only'],
    });
  });

  it('reads SPDX 2.2: PACKAGE_MANAGER references and documentDescribes', () => {
    const sbom = readSpdx({
      spdxVersion: 'SPDX-2.2',
      documentDescribes: ['SPDXRef-image'],
      packages: [
        {
          name: 'alpine:3.19',
          SPDXID: 'SPDXRef-image',
          externalRefs: [purlRef('pkg:oci/alpine@sha256%3Aab', 'PACKAGE_MANAGER')],
        },
        {
          name: 'musl',
          SPDXID: 'SPDXRef-musl',
          versionInfo: '1.2.4_git20230717-r4',
          externalRefs: [
            purlRef(
              'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=aarch64&distro=alpine-3.19.1',
              'PACKAGE_MANAGER',
            ),
          ],
        },
      ],
    });
    expect(sbom.specVersion).toBe('2.2');
    expect(sbom.describes?.name).toBe('alpine:3.19');
    expect(sbom.packages.map((p) => p.name)).toEqual(['musl']);
    expect(sbom.notices).toEqual([]);
    expect(sbom.os).toEqual({ id: 'alpine', versionId: '3.19.1', idLike: [] });
  });

  it('keeps a described package that is a package, not an image', () => {
    const sbom = readSpdx({
      spdxVersion: 'SPDX-2.3',
      packages: [
        {
          name: 'left-pad',
          SPDXID: 'SPDXRef-lp',
          versionInfo: '1.3.0',
          externalRefs: [purlRef('pkg:npm/left-pad@1.3.0')],
        },
      ],
      relationships: [
        {
          spdxElementId: 'SPDXRef-DOCUMENT',
          relationshipType: 'DESCRIBES',
          relatedSpdxElement: 'SPDXRef-lp',
        },
      ],
    });
    expect(sbom.packages.map((p) => p.name)).toEqual(['left-pad']);
  });

  it('refuses what it cannot read, saying why', () => {
    expect(() => readSpdx({ bomFormat: 'CycloneDX' })).toThrow(
      expect.objectContaining({ code: 'SCAN_SBOM_INVALID' }),
    );
    expect(() => readSpdx({ spdxVersion: 'SPDX-3.0' })).toThrow(
      expect.objectContaining({
        code: 'SCAN_SBOM_UNSUPPORTED',
        message: expect.stringContaining('"SPDX-3.0"'),
      }),
    );
    expect(() => readSpdx({ spdxVersion: 'SPDX-2.3', packages: 'x' })).toThrow(
      expect.objectContaining({ code: 'SCAN_SBOM_INVALID' }),
    );
  });
});
