import { describe, expect, it } from 'vitest';
import { readCycloneDx } from './cyclonedx-reader.js';
import { SbomNotice } from './notice-codes.js';

const prop = (name: string, value: string) => ({ name, value });

/** Shaped like syft 1.x output for a Debian image (properties and purls as syft writes them). */
const SYFT_STYLE = {
  $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  serialNumber: 'urn:uuid:6a5c4e63-1f7d-4bb4-9d39-2c1b6a0f4e11',
  version: 1,
  metadata: {
    timestamp: '2025-02-01T10:00:00Z',
    tools: { components: [{ type: 'application', author: 'anchore', name: 'syft', version: '1.19.0' }] },
    component: { 'bom-ref': 'a1', type: 'container', name: 'debian:12', version: 'sha256:0123' },
  },
  components: [
    {
      'bom-ref':
        'pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&upstream=openssl&distro=debian-12&package-id=1',
      type: 'library',
      publisher: 'Debian OpenSSL Team',
      name: 'libssl3',
      version: '3.0.15-1~deb12u1',
      licenses: [{ license: { id: 'Apache-2.0' } }, { license: { name: 'Artistic' } }],
      purl: 'pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&upstream=openssl&distro=debian-12',
      properties: [
        prop('syft:package:foundBy', 'dpkg-db-cataloger'),
        prop('syft:package:type', 'deb'),
        prop('syft:location:0:layerID', 'sha256:aa'),
        prop('syft:location:0:path', '/var/lib/dpkg/status'),
        prop('syft:location:1:path', '/usr/share/doc/libssl3/copyright'),
        prop('syft:metadata:source', 'openssl'),
        prop('syft:metadata:sourceVersion', '3.0.15-1~deb12u1'),
      ],
    },
    {
      type: 'library',
      name: 'bash',
      version: '5.2.15-2+b7',
      purl: 'pkg:deb/debian/bash@5.2.15-2%2Bb7?arch=amd64&upstream=bash%405.2.15-2&distro=debian-12',
      licenses: [{ expression: 'GPL-3.0-or-later AND BSD-4-Clause-UC' }],
    },
    { type: 'file', name: '/etc/ssl/certs/ca-certificates.crt' },
    { type: 'library', name: 'checkout', version: 'v4', purl: 'pkg:github/actions/checkout@v4' },
    {
      'bom-ref': 'os:debian@12',
      type: 'operating-system',
      name: 'debian',
      version: '12',
      description: 'Debian GNU/Linux 12 (bookworm)',
      properties: [
        prop('syft:distro:id', 'debian'),
        prop('syft:distro:prettyName', 'Debian GNU/Linux 12 (bookworm)'),
        prop('syft:distro:versionCodename', 'bookworm'),
        prop('syft:distro:versionID', '12'),
      ],
    },
  ],
};

describe('readCycloneDx', () => {
  it('reads syft-style components: purl identity, locations, source, licences, OS', () => {
    const sbom = readCycloneDx(SYFT_STYLE, { source: 'sbom.cdx.json' });
    expect(sbom).toMatchObject({
      format: 'cyclonedx',
      specVersion: '1.6',
      tools: ['syft-1.19.0'],
      documentId: SYFT_STYLE.serialNumber,
    });
    expect(sbom.describes).toEqual({ name: 'debian:12', version: 'sha256:0123' });
    expect(sbom.packages).toEqual([
      {
        type: 'deb',
        name: 'libssl3',
        version: '3.0.15-1~deb12u1',
        purl: SYFT_STYLE.components[0]!.purl,
        locations: ['/var/lib/dpkg/status', '/usr/share/doc/libssl3/copyright'],
        source: { name: 'openssl', version: '3.0.15-1~deb12u1' },
        licenses: ['Apache-2.0', 'Artistic'],
        architecture: 'amd64',
      },
      {
        type: 'deb',
        name: 'bash',
        version: '5.2.15-2+b7',
        purl: SYFT_STYLE.components[1]!.purl,
        locations: [],
        source: { name: 'bash', version: '5.2.15-2' },
        licenses: ['GPL-3.0-or-later', 'BSD-4-Clause-UC'],
        architecture: 'amd64',
      },
    ]);
    expect(sbom.os).toEqual({
      id: 'debian',
      versionId: '12',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
      versionCodename: 'bookworm',
      idLike: [],
    });
  });

  it('reports skipped components by reason, with names', () => {
    const { notices } = readCycloneDx(SYFT_STYLE, { source: 'sbom.cdx.json' });
    expect(notices).toEqual([
      {
        level: 'info',
        code: SbomNotice.ComponentSkipped,
        message: 'sbom.cdx.json: skipped 1 entry (no package URL): /etc/ssl/certs/ca-certificates.crt',
      },
      {
        level: 'info',
        code: SbomNotice.ComponentSkipped,
        message: 'sbom.cdx.json: skipped 1 entry (purl type "github" not inventoried): checkout',
      },
    ]);
  });

  it('reads trivy-style source packages, file paths and RPM epochs', () => {
    const sbom = readCycloneDx({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      metadata: {
        tools: {
          components: [{ type: 'application', group: 'aquasecurity', name: 'trivy', version: '0.58.1' }],
        },
      },
      components: [
        {
          type: 'library',
          name: 'openssl-libs',
          version: '3.0.7-27.el9',
          purl: 'pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=redhat-9.4&epoch=1',
          properties: [
            prop('aquasecurity:trivy:SrcName', 'openssl'),
            prop('aquasecurity:trivy:SrcVersion', '3.0.7'),
            prop('aquasecurity:trivy:SrcRelease', '27.el9'),
            prop('aquasecurity:trivy:SrcEpoch', '1'),
          ],
        },
        {
          type: 'library',
          name: 'express',
          version: '4.19.2',
          purl: 'pkg:npm/express@4.19.2',
          properties: [prop('aquasecurity:trivy:FilePath', 'app/node_modules/express/package.json')],
        },
        { type: 'application', name: 'Node.js', properties: [prop('aquasecurity:trivy:Class', 'lang-pkgs')] },
      ],
    });
    expect(sbom.tools).toEqual(['trivy-0.58.1']);
    expect(sbom.packages[0]).toMatchObject({
      version: '1:3.0.7-27.el9',
      source: { name: 'openssl', version: '1:3.0.7-27.el9' },
    });
    expect(sbom.packages[1]!.locations).toEqual(['app/node_modules/express/package.json']);
    expect(sbom.os).toEqual({ id: 'rhel', versionId: '9.4', idLike: [] });
  });

  it('reads CycloneDX 1.4 tool lists and nested components', () => {
    const sbom = readCycloneDx({
      bomFormat: 'CycloneDX',
      specVersion: '1.4',
      metadata: { tools: [{ vendor: 'anchore', name: 'syft', version: '0.80.0' }] },
      components: [
        {
          type: 'application',
          name: 'app.jar',
          purl: 'pkg:maven/com.example/app@1.0.0',
          components: [
            {
              type: 'library',
              name: 'jackson-databind',
              purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.0',
              components: [{ type: 'library', name: 'inner', purl: 'pkg:maven/x.y/inner@0.1' }],
            },
          ],
        },
      ],
    });
    expect(sbom.tools).toEqual(['syft-0.80.0']);
    expect(sbom.packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'com.example:app@1.0.0',
      'com.fasterxml.jackson.core:jackson-databind@2.17.0',
      'x.y:inner@0.1',
    ]);
  });

  it('infers the OS from OS packages when there is no operating-system component', () => {
    const apk = (name: string, distro: string) => ({
      type: 'library',
      name,
      purl: `pkg:apk/alpine/${name}@1.0-r0?arch=x86_64&distro=${distro}`,
    });
    const sbom = readCycloneDx({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [
        apk('musl', 'alpine-3.20.3'),
        apk('busybox', 'alpine-3.20.3'),
        apk('stray', 'alpine-3.19.1'),
      ],
    });
    expect(sbom.os).toEqual({ id: 'alpine', versionId: '3.20.3', idLike: [] });
  });

  it('uses the component version when the purl has none, and skips entries with neither', () => {
    const sbom = readCycloneDx({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [
        { type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad' },
        { type: 'library', name: 'nothing', purl: 'pkg:npm/nothing' },
      ],
    });
    expect(sbom.packages.map((p) => p.version)).toEqual(['1.3.0']);
    expect(sbom.notices[0]!.message).toContain('(no version): nothing');
  });

  it('refuses what is not a CycloneDX BOM it can read, saying why', () => {
    expect(() => readCycloneDx({ spdxVersion: 'SPDX-2.3' }, { source: 'x.json' })).toThrow(
      expect.objectContaining({
        code: 'SCAN_SBOM_INVALID',
        message: expect.stringContaining('x.json is not a CycloneDX'),
      }),
    );
    expect(() => readCycloneDx({ bomFormat: 'CycloneDX', specVersion: '2.0' })).toThrow(
      expect.objectContaining({ code: 'SCAN_SBOM_UNSUPPORTED' }),
    );
    expect(() => readCycloneDx({ bomFormat: 'CycloneDX', specVersion: '1.6', components: {} })).toThrow(
      expect.objectContaining({
        code: 'SCAN_SBOM_INVALID',
        message: expect.stringContaining('"components"'),
      }),
    );
    let deep: Record<string, unknown> = { type: 'library', name: 'leaf' };
    for (let i = 0; i < 100; i += 1) deep = { type: 'library', name: `n${i}`, components: [deep] };
    expect(() => readCycloneDx({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [deep] })).toThrow(
      expect.objectContaining({ code: 'SCAN_SBOM_INVALID' }),
    );
  });
});
