import type { Inventory, Package } from '../../inventory/types.js';

/**
 * A Debian 12 image's inventory with the shapes SBOM writers must handle: OS packages with
 * and without a separate source version and with an epoch, language packages found in
 * binaries and archives, the same package at two locations, and licences as SPDX ids, an
 * expression, several ids, and names that are not on the SPDX License List.
 */
export const SAMPLE_MANIFEST_DIGEST =
  'sha256:3d2e482b82608d153a374df3357c0291589a61cc194ec4a9ca2381073a17f58e';

const deb = (name: string, version: string, extra: Partial<Package> = {}): Package => ({
  type: 'deb',
  name,
  version,
  purl: `pkg:deb/debian/${name}@${encodeURIComponent(version)}?arch=amd64&distro=debian-12`,
  architecture: 'amd64',
  locations: ['/var/lib/dpkg/status'],
  ...extra,
});

export function sampleInventory(): Inventory {
  return {
    manifestDigest: SAMPLE_MANIFEST_DIGEST,
    platform: { os: 'linux', architecture: 'amd64' },
    os: {
      id: 'debian',
      versionId: '12',
      versionCodename: 'bookworm',
      idLike: [],
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
    },
    source: 'layers',
    notices: [],
    packages: [
      deb('libc6', '2.36-9+deb12u7', {
        source: { name: 'glibc' },
        licenses: ['LGPL-2.1-or-later', 'GPL-2.0-or-later'],
      }),
      deb('zlib1g', '1:1.2.13.dfsg-1', { source: { name: 'zlib' }, licenses: ['Zlib'] }),
      deb('gcc-12-base', '12.2.0-14', {
        source: { name: 'gcc-12', version: '12.2.0-14' },
        licenses: ['GPL-3+', 'GFDL-1.2+'],
      }),
      deb('base-files', '12.4+deb12u5'),
      {
        type: 'npm',
        name: '@types/node',
        version: '20.11.5',
        purl: 'pkg:npm/%40types/node@20.11.5',
        licenses: ['MIT'],
        locations: ['/app/node_modules/@types/node/package.json'],
      },
      {
        type: 'npm',
        name: 'lodash',
        version: '4.17.21',
        purl: 'pkg:npm/lodash@4.17.21',
        licenses: ['MIT'],
        locations: ['/app/node_modules/lodash/package.json'],
      },
      {
        type: 'npm',
        name: 'lodash',
        version: '4.17.21',
        purl: 'pkg:npm/lodash@4.17.21',
        licenses: ['MIT'],
        locations: ['/usr/lib/node_modules/npm/node_modules/lodash/package.json'],
      },
      {
        type: 'pypi',
        name: 'requests',
        version: '2.31.0',
        purl: 'pkg:pypi/requests@2.31.0',
        licenses: ['Apache-2.0'],
        locations: ['/usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA'],
      },
      {
        type: 'pypi',
        name: 'cryptography',
        version: '42.0.5',
        purl: 'pkg:pypi/cryptography@42.0.5',
        licenses: ['Apache-2.0 OR BSD-3-Clause'],
        locations: ['/usr/lib/python3/dist-packages/cryptography-42.0.5.dist-info/METADATA'],
      },
      {
        type: 'golang',
        name: 'github.com/stretchr/testify',
        version: 'v1.9.0',
        purl: 'pkg:golang/github.com/stretchr/testify@v1.9.0',
        locations: ['/usr/local/bin/app'],
        foundIn: '/usr/local/bin/app',
      },
      {
        type: 'maven',
        name: 'org.apache.commons:commons-lang3',
        version: '3.14.0',
        purl: 'pkg:maven/org.apache.commons/commons-lang3@3.14.0',
        licenses: ['Apache License, Version 2.0'],
        locations: ['/app/lib/app.jar:META-INF/maven/org.apache.commons/commons-lang3/pom.properties'],
        foundIn: '/app/lib/app.jar',
      },
      {
        type: 'gem',
        name: 'rake',
        version: '13.1.0',
        purl: 'pkg:gem/rake@13.1.0',
        licenses: ['GPL-2+', 'MIT OR Apache-2.0'],
        locations: ['/usr/share/rubygems-integration/all/specifications/rake-13.1.0.gemspec'],
      },
      {
        type: 'cargo',
        name: 'serde',
        version: '1.0.197',
        purl: 'pkg:cargo/serde@1.0.197',
        licenses: ['MIT', 'Apache-2.0'],
        locations: ['/usr/local/bin/tool'],
        foundIn: '/usr/local/bin/tool',
      },
    ],
  };
}
