import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MigratedTestDatabase, createMigratedTestDatabase } from '../../../test/harness/postgres.js';
import { PostgresScanResultStore } from './scan-result-store.js';
import type { ScanResultInput } from './types.js';

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const INDEX = digest(1);
const AMD64 = digest(2);
const ARM64 = digest(3);

function result(overrides: Partial<ScanResultInput> = {}): ScanResultInput {
  return {
    imageDigest: INDEX,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    reference: 'registry.example.com/team/app:1.0',
    origin: 'airlock',
    scanner: {
      name: 'airlock',
      version: '0.1.0',
      database: { uri: 'https://osv.dev', version: '2026-01-01' },
    },
    startedAt: '2026-01-02T10:00:00.000Z',
    scannedAt: '2026-01-02T10:00:05.000Z',
    summary: { CRITICAL: 0, HIGH: 1, MEDIUM: 0, LOW: 0, UNKNOWN: 0, NONE: 0 },
    platforms: [
      {
        manifestDigest: AMD64,
        platform: { os: 'linux', architecture: 'amd64' },
        os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
        packageCount: 120,
        inventorySource: 'layers',
        summary: { HIGH: 1 },
        findings: [{ id: 'CVE-2023-0286', package: { name: 'libssl3', version: '3.0.7-1' } }],
        notices: [{ level: 'info', code: 'X', message: 'note' }],
      },
      {
        manifestDigest: ARM64,
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        os: null,
        packageCount: null,
        inventorySource: 'report',
        summary: {},
        findings: [],
        notices: [],
      },
    ],
    ...overrides,
  };
}

describe('PostgresScanResultStore', () => {
  let migrated: MigratedTestDatabase;
  let store: PostgresScanResultStore;

  beforeAll(async () => {
    migrated = await createMigratedTestDatabase();
    store = new PostgresScanResultStore(migrated.database.db);
  });

  afterAll(() => migrated?.remove());

  it('reads back what it saved, field for field, by the image digest', async () => {
    const input = result();
    const saved = await store.save(input);
    const latest = await store.latest(INDEX);
    expect(latest).toEqual({
      id: saved.id,
      imageDigest: INDEX,
      mediaType: input.mediaType,
      reference: input.reference,
      origin: 'airlock',
      scanner: input.scanner,
      startedAt: new Date('2026-01-02T10:00:00.000Z'),
      scannedAt: new Date('2026-01-02T10:00:05.000Z'),
      storedAt: saved.storedAt,
      summary: input.summary,
      platforms: input.platforms,
    });
  });

  it('finds a result by the digest of one of its platform manifests', async () => {
    const latest = await store.latest(ARM64);
    expect(latest?.imageDigest).toBe(INDEX);
    expect(latest?.platforms.map((p) => p.manifestDigest)).toEqual([AMD64, ARM64]);
  });

  it('answers undefined for a digest it never saw', async () => {
    expect(await store.latest(digest(99))).toBeUndefined();
    expect(await store.list(digest(99))).toEqual([]);
  });

  it('takes the latest by scan time, not by storage time, and lists newest first', async () => {
    const newer = await store.save(
      result({
        origin: 'trivy',
        scanner: { name: 'trivy', version: '0.56.2' },
        scannedAt: '2026-03-01T00:00:00Z',
      }),
    );
    // Stored last, but scanned before both: an old report imported late.
    const older = await store.save(
      result({
        origin: 'grype',
        scanner: { name: 'grype' },
        startedAt: null,
        scannedAt: '2025-12-01T00:00:00Z',
      }),
    );
    expect((await store.latest(INDEX))?.id).toBe(newer.id);
    const list = await store.list(AMD64);
    expect(list.map((r) => r.origin)).toEqual(['trivy', 'airlock', 'grype']);
    expect(list[2]).toMatchObject({ id: older.id, startedAt: null, scanner: { name: 'grype' } });
    expect(list[0]!.platforms).toEqual([
      { manifestDigest: AMD64, platform: { os: 'linux', architecture: 'amd64' } },
      { manifestDigest: ARM64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ]);
    expect((await store.list(INDEX, { limit: 2 })).map((r) => r.origin)).toEqual(['trivy', 'airlock']);
  });

  it('keeps results of different images apart', async () => {
    const other = digest(50);
    await store.save(result({ imageDigest: other, platforms: [], reference: 'other:1' }));
    expect((await store.latest(other))?.reference).toBe('other:1');
    expect((await store.list(INDEX)).every((r) => r.imageDigest === INDEX)).toBe(true);
  });

  it('refuses an origin it does not know, storing nothing', async () => {
    const before = (await store.list(INDEX)).length;
    await expect(store.save(result({ origin: 'clair' as never }))).rejects.toThrow(
      /scan_result_origin_check/,
    );
    expect(await store.list(INDEX)).toHaveLength(before);
  });
});
