import { describe, expect, it } from 'vitest';
import { type Descriptor, type Manifest, encodeManifest } from '../../oci/manifest/index.js';
import { MediaType } from '../../oci/mediatype/index.js';
import type { ImportedScan } from '../vulndb/index.js';
import { resolveReportSubject } from './report-subject.js';
import { recordOfImport } from './scan-record.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const AMD64: Descriptor = {
  mediaType: MediaType.OciManifest,
  digest: digest('a'),
  size: 500,
  platform: { os: 'linux', architecture: 'amd64' },
};
const ARM64: Descriptor = {
  mediaType: MediaType.OciManifest,
  digest: digest('b'),
  size: 501,
  platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
};
const ATTESTATION: Descriptor = {
  mediaType: MediaType.OciManifest,
  digest: digest('c'),
  size: 300,
  platform: { os: 'unknown', architecture: 'unknown' },
  annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
};

const index = (...manifests: Descriptor[]): Manifest =>
  encodeManifest({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests });
const single: Manifest = encodeManifest({
  schemaVersion: 2,
  mediaType: MediaType.OciManifest,
  config: { mediaType: MediaType.OciConfig, digest: digest('d'), size: 10 },
  layers: [],
});

function report(digests: string[], extra: Partial<ImportedScan> = {}): ImportedScan {
  return { scanner: 'grype', artifact: { name: 'example/app:1', digests }, findings: [], ...extra };
}

const options = { source: 'report.json', reference: 'registry.example.com/app:1' };

describe('resolveReportSubject', () => {
  it('refuses a report that names another image, saying which', () => {
    const root = index(AMD64, ARM64);
    expect(() => resolveReportSubject(root, report([digest('e')]), options)).toThrow(
      expect.objectContaining({
        code: 'SCAN_REPORT_IMAGE_MISMATCH',
        message: expect.stringMatching(
          /^report\.json is a report of example\/app:1 \(sha256:e{64}\), not of registry\.example\.com\/app:1 \(sha256:[0-9a-f]{64} or its platform manifests\)/,
        ),
      }),
    );
  });

  it('takes the platform manifest the report names, whatever else it names', () => {
    const root = index(AMD64, ARM64);
    const subject = resolveReportSubject(root, report([root.descriptor.digest, ARM64.digest]), options);
    expect(subject).toEqual({
      manifest: { mediaType: ARM64.mediaType, digest: ARM64.digest, size: ARM64.size },
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    });
    expect(() =>
      resolveReportSubject(root, report([ARM64.digest]), {
        ...options,
        platform: { os: 'linux', architecture: 'amd64' },
      }),
    ).toThrow(expect.objectContaining({ code: 'SCAN_REPORT_IMAGE_MISMATCH' }));
  });

  it('picks the platform of an index by --platform, else by the platform the report states', () => {
    const root = index(AMD64, ARM64, ATTESTATION);
    const named = report([root.descriptor.digest]);
    expect(
      resolveReportSubject(root, named, { ...options, platform: { os: 'linux', architecture: 'amd64' } })
        .manifest.digest,
    ).toBe(AMD64.digest);
    const stated = report([root.descriptor.digest], { platform: { os: 'linux', architecture: 'arm64' } });
    expect(resolveReportSubject(root, stated, options).manifest.digest).toBe(ARM64.digest);
    const elsewhere = report([], { platform: { os: 'linux', architecture: 's390x' } });
    expect(() => resolveReportSubject(root, elsewhere, options)).toThrow(
      expect.objectContaining({
        code: 'SCAN_REPORT_IMAGE_MISMATCH',
        message:
          'report.json says it scanned linux/s390x, but registry.example.com/app:1 offers linux/amd64, linux/arm64/v8',
      }),
    );
  });

  it('asks for --platform when an index has several and nothing says which', () => {
    expect(() => resolveReportSubject(index(AMD64, ARM64, ATTESTATION), report([]), options)).toThrow(
      expect.objectContaining({
        code: 'USAGE_INVALID',
        message: expect.stringContaining('name it with --platform'),
      }),
    );
    // BuildKit's attestation manifest is not a platform: one real platform is unambiguous.
    expect(resolveReportSubject(index(AMD64, ATTESTATION), report([]), options).manifest.digest).toBe(
      AMD64.digest,
    );
  });

  it('takes a single-platform image as it is', () => {
    const subject = resolveReportSubject(
      single,
      report([single.descriptor.digest], { platform: { os: 'linux', architecture: 'amd64' } }),
      options,
    );
    expect(subject.manifest.digest).toBe(single.descriptor.digest);
    expect(subject.platform).toEqual({ os: 'linux', architecture: 'amd64' });
  });
});

describe('recordOfImport', () => {
  it('records the report of one platform, timed by the report when it says', () => {
    const finding = {
      id: 'CVE-1',
      aliases: [],
      advisories: ['CVE-1'],
      package: { name: 'zlib', version: '1', type: 'deb' },
      fixedVersions: [],
      severity: { rating: 'HIGH' as const, source: 'grype' },
      urls: [],
      origin: 'grype' as const,
      suppressed: false,
    };
    const record = recordOfImport(
      report([], {
        scannerVersion: '0.82.1',
        createdAt: '2024-11-05T09:12:44.5+01:00',
        database: { version: '2024-11-04T01:31:43Z' },
        os: { family: 'debian', version: '12' },
        findings: [finding, { ...finding, id: 'CVE-2', suppressed: true }],
      }),
      {
        reference: 'r:1',
        digest: digest('f'),
        mediaType: MediaType.OciIndex,
        manifestDigest: AMD64.digest,
        platform: { os: 'linux', architecture: 'amd64' },
        importedAt: '2026-01-01T00:00:00.000Z',
      },
    );
    expect(record).toMatchObject({
      origin: 'grype',
      scanner: { name: 'grype', version: '0.82.1', database: { version: '2024-11-04T01:31:43Z' } },
      scannedAt: '2024-11-05T08:12:44.500Z',
      platforms: [
        { manifestDigest: AMD64.digest, os: { id: 'debian', versionId: '12' }, inventorySource: 'report' },
      ],
      summary: { HIGH: 1, CRITICAL: 0 },
    });
    expect(record.platforms[0]!.packageCount).toBeUndefined();
    expect(
      recordOfImport(report([]), {
        reference: 'r:1',
        digest: digest('f'),
        mediaType: MediaType.OciIndex,
        manifestDigest: AMD64.digest,
        importedAt: 'now',
      }).scannedAt,
    ).toBe('now');
  });
});
