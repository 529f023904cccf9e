import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseScannerReport } from './import-results.js';

/** Hand-written reports following Trivy's JSON (SchemaVersion 2) and Grype's JSON output formats. */
const report = (name: string) =>
  readFile(new URL(`../../../test/fixtures/scanner-reports/${name}`, import.meta.url), 'utf8');

describe('Trivy reports', () => {
  it('become findings per package, with Trivy’s rating and the CVSS of its severity source', async () => {
    const scan = parseScannerReport(await report('trivy-alpine.json'), 'trivy-alpine.json');
    expect(scan).toMatchObject({
      scanner: 'trivy',
      artifact: {
        name: 'registry.example.com/team/api:1.4.2',
        digests: ['sha256:48d9183eb12a05c99bcc0bf44a003607b8e941e1d4f41f9ad12bdcc4b5672f86'],
      },
      os: { family: 'alpine', version: '3.18.4' },
    });
    expect(
      scan.findings.map((f) => [
        f.package.name,
        f.package.type,
        f.id,
        f.fixedVersions,
        f.severity.rating,
        f.severity.score,
      ]),
    ).toEqual([
      ['busybox', 'apk', 'CVE-2023-42366', ['1.36.1-r6'], 'MEDIUM', 5.5],
      ['libcrypto3', 'apk', 'CVE-2023-5363', ['3.1.4-r0'], 'HIGH', 7.5],
      ['libssl3', 'apk', 'CVE-2023-5363', ['3.1.4-r0'], 'HIGH', 7.5],
      ['urllib3', 'pypi', 'CVE-2023-45803', ['2.0.7', '1.26.18'], 'MEDIUM', 4.2],
    ]);
    expect(scan.findings[1]).toMatchObject({
      origin: 'trivy',
      suppressed: false,
      advisories: ['CVE-2023-5363'],
      summary: 'openssl: Incorrect cipher key and IV length processing',
      package: { purl: 'pkg:apk/alpine/libcrypto3@3.1.3-r0?arch=x86_64&distro=3.18.4', version: '3.1.3-r0' },
      severity: { source: 'trivy:nvd', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
      urls: [
        'https://avd.aquasec.com/nvd/cve-2023-5363',
        'https://www.openssl.org/news/secadv/20231024.txt',
        'https://nvd.nist.gov/vuln/detail/CVE-2023-5363',
      ],
    });
    expect(scan.findings[3]!.package.locations).toEqual(['app/requirements.txt']);
  });
});

describe('Grype reports', () => {
  it('merge a GHSA match and its CVE into one finding, preferring the CVE id', async () => {
    const scan = parseScannerReport(await report('grype-debian.json'), 'grype-debian.json');
    expect(scan).toMatchObject({
      scanner: 'grype',
      scannerVersion: '0.82.1',
      os: { family: 'debian', version: '12' },
      artifact: {
        name: 'registry.example.com/team/web:2.0',
        digests: [
          'sha256:7c5b1c2e3d4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
          'sha256:0dc3a9b3c1c9f6e7d8a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7',
        ],
      },
    });
    expect(
      scan.findings.map((f) => [f.package.name, f.id, f.advisories, f.fixedVersions, f.severity.rating]),
    ).toEqual([
      ['apt', 'CVE-2011-3374', ['CVE-2011-3374'], [], 'LOW'],
      ['libssl3', 'CVE-2023-0464', ['CVE-2023-0464'], ['3.0.9-1'], 'LOW'],
      ['requests', 'CVE-2023-32681', ['CVE-2023-32681', 'GHSA-j8r2-6x86-q33q'], ['2.31.0'], 'MEDIUM'],
    ]);
    const requests = scan.findings[2]!;
    expect(requests.aliases).toEqual(['GHSA-j8r2-6x86-q33q']);
    expect(requests.severity).toMatchObject({
      score: 6.1,
      vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N',
    });
    expect(requests.package).toMatchObject({
      type: 'pypi',
      locations: ['/usr/lib/python3/dist-packages/requests-2.30.0.dist-info/METADATA'],
    });
    // Debian rates it negligible; the NVD score comes from the related record.
    expect(scan.findings[1]).toMatchObject({
      package: { source: { name: 'openssl' } },
      severity: { score: 7.5, source: 'grype:nvd@nist.gov' },
      origin: 'grype',
    });
  });
});

describe('unreadable reports', () => {
  it.each([
    ['not json', /x\.json is not JSON/],
    ['{"foo": 1}', /neither a Trivy JSON report .* nor a Grype JSON report/],
    [
      '{"SchemaVersion": 2, "Results": [{"Vulnerabilities": [{"PkgName": "a"}]}]}',
      /Results\[0\]\.Vulnerabilities\[0\] has no VulnerabilityID/,
    ],
    ['{"matches": [{"vulnerability": {}}]}', /matches\[0\] needs "vulnerability\.id" and "artifact"/],
  ])('%s is rejected', (text, message) => {
    expect(() => parseScannerReport(text, 'x.json')).toThrow(message);
    expect(() => parseScannerReport(text, 'x.json')).toThrow(
      expect.objectContaining({ code: 'SCAN_REPORT_INVALID' }),
    );
  });
});
