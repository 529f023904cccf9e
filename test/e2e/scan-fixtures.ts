import { DEBIAN_12_STANZAS, dpkgStatus } from '../fixtures/dpkg-status.js';
import { makeImage, makeLayer } from '../fixtures/index.js';

/** Images with known vulnerabilities for the scan tests, matched by the OSV records in test/fixtures/osv. */

const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
`;

/** requests 2.28.0 as pip installs it: vulnerable to CVE-2023-32681 (fixed in 2.31.0). */
const REQUESTS_METADATA = `Metadata-Version: 2.1
Name: requests
Version: 2.28.0
Summary: Python HTTP for Humans.
License: Apache 2.0
`;

/** Debian 12 with OpenSSL 3.0.7 (CVE-2023-0286, fixed in 3.0.8-1) and Python requests 2.28.0. */
export async function vulnerableImage(architecture: string) {
  const oldOpenssl = DEBIAN_12_STANZAS.libssl3
    .replace('Version: 3.0.11-1~deb12u2', 'Version: 3.0.7-1')
    .replace('amd64', architecture);
  const base = await makeLayer({
    seed: ['scan-base', architecture],
    files: [
      { path: 'etc/os-release', content: OS_RELEASE },
      {
        path: 'var/lib/dpkg/status',
        content: dpkgStatus([DEBIAN_12_STANZAS.baseFiles, oldOpenssl, DEBIAN_12_STANZAS.zlib1g]),
      },
    ],
  });
  const app = await makeLayer({
    seed: ['scan-app', architecture],
    files: [
      {
        path: 'usr/lib/python3/dist-packages/requests-2.28.0.dist-info/METADATA',
        content: REQUESTS_METADATA,
      },
    ],
  });
  return makeImage({ layers: [base, app], platform: `linux/${architecture}` });
}

/** An OpenVEX 0.2.0 document saying `purl` is not affected by `vulnerability`. */
export function notAffected(id: string, vulnerability: string, purl: string) {
  return {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': id,
    author: 'secops@example.com',
    timestamp: '2026-11-01T00:00:00Z',
    version: 1,
    statements: [
      {
        vulnerability: { name: vulnerability },
        products: [{ '@id': purl }],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
      },
    ],
  };
}
