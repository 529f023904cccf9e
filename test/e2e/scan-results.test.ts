import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferrerNode } from '../../src/app/referrers-service.js';
import { OciLayoutStore } from '../../src/oci/layout/index.js';
import type { Descriptor } from '../../src/oci/manifest/index.js';
import { referrersFallbackTag } from '../../src/oci/ref/index.js';
import { RegistrySession } from '../../src/oci/remote/index.js';
import { makeIndex, mergeFixtures, storeFixture, type IndexFixture } from '../fixtures/index.js';
import {
  AttestationMediaType,
  makeDsseEnvelope,
  makeInTotoStatement,
  makeJsonReferrer,
} from '../fixtures/sbom-artifacts.js';
import {
  type AirlockRegistry,
  type DockerRegistry,
  type TempDir,
  type TestDatabase,
  createTestDatabase,
  makeTempDir,
  requireTools,
  startAirlockRegistry,
  startDockerRegistry,
} from '../harness/index.js';
import { isolatedEnv, runCli } from './cli-harness.js';
import { notAffected, vulnerableImage } from './scan-fixtures.js';

const VULN_PREDICATE = 'https://cosign.sigstore.dev/attestation/vuln/v1';
const IN_TOTO = 'application/vnd.in-toto+json';
const REPORTS = 'test/fixtures/scanner-reports';

interface Pushed {
  ref: string;
  index: string;
  amd64: string;
  arm64: string;
}

interface Statement {
  _type: string;
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate: {
    scanner: {
      uri: string;
      result: {
        origin: string;
        platforms: { manifestDigest: string; findings: { id: string; suppressed: boolean }[] }[];
      };
    };
    metadata: { scanStartedOn: string; scanFinishedOn: string };
  };
}

interface JsonFinding {
  id: string;
  package: { name: string };
  suppressed: boolean;
  vex?: { status: string; document?: string; source?: string };
}

/** The fields of the fixture reports that name the scanned image. */
type TrivyJson = { ArtifactName: string; Metadata: { RepoDigests: string[] } };
type GrypeJson = { source: { target: { manifestDigest: string; repoDigests: string[] } } };

let temp: TempDir;
let database: TestDatabase;
let env: NodeJS.ProcessEnv;
let session: RegistrySession;

/** The vulnerable two-platform image, its index made distinct by `name` so that each test has its own digest. */
async function vulnerableIndex(name: string): Promise<IndexFixture> {
  return makeIndex({
    manifests: [await vulnerableImage('amd64'), await vulnerableImage('arm64')],
    annotations: { 'org.opencontainers.image.title': name },
  });
}

/** Pushes through Airlock's client, which maintains the referrers fallback tag on CNCF distribution. */
async function push(host: string, repository: string, name: string): Promise<Pushed> {
  const index = await vulnerableIndex(name);
  await storeFixture(await session.repository({ registry: host, repository }), index, { tag: '1.0' });
  const [amd64, arm64] = index.root.index.manifests.map((m) => m.digest);
  return {
    ref: `${host}/${repository}:1.0`,
    index: index.root.descriptor.digest,
    amd64: amd64!,
    arm64: arm64!,
  };
}

async function referrersOf(ref: string): Promise<ReferrerNode[]> {
  const run = await runCli(['referrers', '--json', ref], env);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as ReferrerNode).referrers;
}

/** The statement in the attestation's single layer, read back through the registry. */
async function readStatement(host: string, repository: string, attestation: Descriptor): Promise<Statement> {
  const repo = await session.repository({ registry: host, repository });
  const manifest = await repo.fetchManifest(attestation);
  if (manifest.kind !== 'image') throw new Error('the attestation is not an image manifest');
  expect(manifest.image.subject?.digest).toBeDefined();
  const [layer] = manifest.image.layers;
  expect(layer?.mediaType).toBe(IN_TOTO);
  const chunks: Buffer[] = [];
  for await (const chunk of await repo.fetchBlob(layer!)) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Statement;
}

function vulnAttestations(referrers: ReferrerNode[]): Descriptor[] {
  return referrers
    .map((r) => r.descriptor)
    .filter(
      (d) => d.artifactType === IN_TOTO && d.annotations?.['in-toto.io/predicate-type'] === VULN_PREDICATE,
    );
}

/** A fixture report rewritten to name the pushed image, the way the scanner would have written it. */
async function reportFor<Report>(file: string, edit: (report: Report) => void): Promise<string> {
  const report = JSON.parse(await readFile(join(REPORTS, file), 'utf8')) as Report;
  edit(report);
  const path = join(temp.path, `${Math.random().toString(36).slice(2)}-${file}`);
  await writeFile(path, JSON.stringify(report));
  return path;
}

beforeAll(async () => {
  temp = await makeTempDir('scan-results');
  database = await createTestDatabase();
  env = {
    ...isolatedEnv(temp.path),
    DATABASE_URL: database.connectionString,
    AIRLOCK_DATA_DIR: join(temp.path, 'data'),
  };
  session = new RegistrySession();
  for (const ecosystem of ['Debian', 'PyPI']) {
    const imported = await runCli(['db', 'import', join('test/fixtures/osv', ecosystem)], env);
    expect(imported.code, imported.stderr).toBe(0);
  }
});

afterAll(async () => {
  await session?.close();
  await database?.drop();
  await temp?.remove();
});

describe("scan results on Airlock's registry (Referrers API)", () => {
  let registry: AirlockRegistry;

  beforeAll(async () => {
    registry = await startAirlockRegistry();
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it('attaches the result as an in-toto vulnerability attestation that `airlock referrers` lists', async () => {
    const image = await push(registry.address, 'team/app', 'attach');
    const run = await runCli(['scan', '--attach', image.ref], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(`attached vulnerability attestation sha256:[0-9a-f]{64} to ${image.ref} \\(sha256:`),
    );
    const [attestation, ...more] = vulnAttestations(await referrersOf(image.ref));
    expect(more).toEqual([]);
    expect(attestation!.annotations?.['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Listed by the registry's own Referrers API, not through a fallback tag.
    const api = await request(`${registry.url}/v2/team/app/referrers/${image.index}`);
    const listed = (await api.body.json()) as { manifests: Descriptor[] };
    expect(listed.manifests.map((m) => m.digest)).toContain(attestation!.digest);

    const statement = await readStatement(registry.address, 'team/app', attestation!);
    expect(statement).toMatchObject({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: `${registry.address}/team/app`, digest: { sha256: image.index.slice(7) } }],
      predicateType: VULN_PREDICATE,
      predicate: { scanner: { uri: 'pkg:generic/airlock@0.1.0', result: { origin: 'airlock' } } },
    });
    const platforms = statement.predicate.scanner.result.platforms;
    expect(platforms.map((p) => p.manifestDigest).sort()).toEqual([image.amd64, image.arm64].sort());
    for (const platform of platforms)
      expect(platform.findings.map((f) => f.id)).toEqual(
        expect.arrayContaining(['CVE-2023-0286', 'CVE-2023-32681']),
      );
    expect(Date.parse(statement.predicate.metadata.scanStartedOn)).toBeLessThanOrEqual(
      Date.parse(statement.predicate.metadata.scanFinishedOn),
    );
  });

  it('stores the result with --save and shows it with `scan results`, by reference or digest', async () => {
    const image = await push(registry.address, 'team/saved', 'save');
    const missing = await runCli(['scan', 'results', image.ref], env);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/no scan result is stored for .*team\/saved:1\.0 \(sha256:/);

    const run = await runCli(['scan', '--save', '--format', 'json', image.ref], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(`saved scan result [0-9a-f-]{36} of ${image.index} \\(2 platforms\\)`),
    );
    const scanned = JSON.parse(run.stdout) as { scannedAt: string; summary: Record<string, number> };

    const table = await runCli(['scan', 'results', image.ref], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(`${image.ref}  ${image.index}`);
    expect(table.stdout).toContain(`scanned ${scanned.scannedAt} by Airlock 0.1.0`);
    expect(table.stdout).toMatch(/linux\/arm64 .*Debian GNU\/Linux 12 \(bookworm\), 4 packages from layers/);
    expect(table.stdout).toMatch(/CVE-2023-0286\s+libssl3\s+3\.0\.7-1\s+3\.0\.8-1/);

    const byDigest = JSON.parse((await runCli(['scan', 'results', '--json', image.index], env)).stdout) as {
      origin: string;
      digest: string;
      platforms: { manifestDigest: string; packageCount: number; findings: JsonFinding[] }[];
      summary: Record<string, number>;
    };
    expect(byDigest).toMatchObject({ origin: 'airlock', digest: image.index, summary: scanned.summary });
    expect(byDigest.summary.UNKNOWN).toBeGreaterThan(0);
    expect(byDigest.platforms.map((p) => p.packageCount)).toEqual([4, 4]);

    const onePlatform = JSON.parse(
      (await runCli(['scan', 'results', '--json', image.arm64], env)).stdout,
    ) as {
      platforms: { manifestDigest: string }[];
    };
    expect(onePlatform.platforms.map((p) => p.manifestDigest)).toEqual([image.arm64]);
    expect((await runCli(['scan', 'results', image.ref, '--fail-on', 'unknown'], env)).code).toBe(6);
  });

  it('imports a Trivy report as the result of the image it names, and refuses one of another image', async () => {
    const image = await push(registry.address, 'team/trivy', 'trivy');
    const report = await reportFor<TrivyJson>('trivy-alpine.json', (r) => {
      r.ArtifactName = image.ref;
      r.Metadata.RepoDigests = [`${registry.address}/team/trivy@${image.index}`];
    });
    const ambiguous = await runCli(
      ['scan', 'import', '--format', 'trivy', report, '--image', image.ref],
      env,
    );
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/does not say which platform it covers; name it with --platform/);

    const run = await runCli(
      [
        'scan',
        'import',
        '--format',
        'trivy',
        report,
        '--image',
        image.ref,
        '--platform',
        'linux/amd64',
        '--save',
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/saved scan result [0-9a-f-]{36} of sha256:/);
    expect(run.stdout).toMatch(/linux\/amd64 .*alpine 3\.18\.4, vulnerable packages from a Trivy report/);
    expect(run.stdout).toMatch(/HIGH 7\.5\s+CVE-2023-5363\s+libcrypto3\s+3\.1\.3-r0\s+3\.1\.4-r0/);

    // By the index: its platform manifests are shared with the other tests' images, scanned more recently.
    const stored = JSON.parse((await runCli(['scan', 'results', '--json', image.index], env)).stdout) as {
      origin: string;
      scannedAt: string;
      platforms: { manifestDigest: string; inventorySource: string; findings: { origin: string }[] }[];
    };
    expect(stored).toMatchObject({ origin: 'trivy', scannedAt: '2024-11-05T08:12:44.581Z' });
    expect(stored.platforms).toHaveLength(1);
    expect(stored.platforms[0]).toMatchObject({ manifestDigest: image.amd64, inventorySource: 'report' });
    expect(stored.platforms[0]!.findings.every((f) => f.origin === 'trivy')).toBe(true);

    const foreign = await runCli(
      [
        'scan',
        'import',
        '--format',
        'trivy',
        join(REPORTS, 'trivy-alpine.json'),
        '--image',
        image.ref,
        '--save',
      ],
      env,
    );
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(
      /trivy-alpine\.json is a report of registry\.example\.com\/team\/api:1\.4\.2 \(sha256:48d9183e[0-9a-f]+\), not of .*team\/trivy:1\.0 .*\[SCAN_REPORT_IMAGE_MISMATCH\]/,
    );
    const wrongFormat = await runCli(
      ['scan', 'import', '--format', 'grype', report, '--image', image.ref],
      env,
    );
    expect(wrongFormat.code).toBe(2);
    expect(wrongFormat.stderr).toMatch(/is a Trivy report, not a Grype one; use --format trivy/);
  });

  it('imports a Grype report for the platform it names, stores it and attaches it like a scan of its own', async () => {
    const image = await push(registry.address, 'team/grype', 'grype');
    const report = await reportFor<GrypeJson>('grype-debian.json', (r) => {
      r.source.target.manifestDigest = image.arm64;
      r.source.target.repoDigests = [`${registry.address}/team/grype@${image.index}`];
    });
    const run = await runCli(
      ['scan', 'import', '--json', '--format', 'grype', report, '--image', image.ref, '--save', '--attach'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const record = JSON.parse(run.stdout) as {
      origin: string;
      scanner: { version: string };
      platforms: unknown[];
    };
    expect(record).toMatchObject({ origin: 'grype', scanner: { version: '0.82.1' } });
    expect(record.platforms).toEqual([expect.objectContaining({ manifestDigest: image.arm64 })]);

    const [attestation] = vulnAttestations(await referrersOf(image.ref));
    const statement = await readStatement(registry.address, 'team/grype', attestation!);
    expect(statement.predicate.scanner.uri).toBe('pkg:github/anchore/grype@0.82.1');
    expect(statement.predicate.scanner.result.origin).toBe('grype');
    expect(statement.subject[0]!.digest).toEqual({ sha256: image.index.slice(7) });

    const history = await runCli(['scan', 'results', '--all', image.index], env);
    expect(history.stdout).toMatch(/^SCANNED\s+BY\s+PLATFORMS\s+CRITICAL\s+HIGH/);
    expect(history.stdout).toMatch(/grype 0\.82\.1\s+sha256:[0-9a-f]{12}\s+/);
  });

  it('applies OpenVEX attached to the index and to a platform manifest, naming the document', async () => {
    const index = await vulnerableIndex('vex');
    const [amd64] = index.root.index.manifests;
    const onIndex = makeJsonReferrer({
      subject: index,
      artifactType: 'application/vnd.openvex+json',
      content: notAffected(
        'https://example.com/vex/requests-1',
        'CVE-2023-32681',
        'pkg:pypi/requests@2.28.0',
      ),
    });
    const statement = makeInTotoStatement({
      subject: amd64!,
      type: 'https://in-toto.io/Statement/v1',
      predicateType: 'https://openvex.dev/ns/v0.2.0',
      predicate: notAffected('https://example.com/vex/openssl-1', 'CVE-2023-0286', 'pkg:deb/debian/libssl3'),
    });
    const onPlatform = makeJsonReferrer({
      subject: amd64!,
      artifactType: AttestationMediaType.Dsse,
      content: makeDsseEnvelope(statement),
    });
    const repo = await session.repository({ registry: registry.address, repository: 'team/vex' });
    await storeFixture(repo, mergeFixtures(index, onIndex, onPlatform), { tag: '1.0' });
    const ref = `${registry.address}/team/vex:1.0`;

    const run = await runCli(['scan', '--format', 'json', ref], env);
    expect(run.code, run.stderr).toBe(0);
    const scan = JSON.parse(run.stdout) as {
      platforms: { inventory: { manifestDigest: string }; findings: JsonFinding[] }[];
    };
    const finding = (digest: string, id: string) =>
      scan.platforms.find((p) => p.inventory.manifestDigest === digest)!.findings.find((f) => f.id === id)!;
    for (const platform of index.root.index.manifests) {
      expect(finding(platform.digest, 'CVE-2023-32681')).toMatchObject({
        suppressed: true,
        vex: {
          status: 'not_affected',
          document: 'https://example.com/vex/requests-1',
          source: `referrer ${onIndex.root.descriptor.digest}`,
        },
      });
    }
    expect(finding(amd64!.digest, 'CVE-2023-0286')).toMatchObject({
      suppressed: true,
      vex: {
        document: 'https://example.com/vex/openssl-1',
        source: `referrer ${onPlatform.root.descriptor.digest}`,
      },
    });
    const arm64 = index.root.index.manifests[1]!.digest;
    expect(finding(arm64, 'CVE-2023-0286').suppressed).toBe(false);

    const table = await runCli(['scan', ref, '--platform', 'linux/amd64'], env);
    expect(table.stdout).toMatch(
      /Suppressed \(VEX\):\n(\s+.*\n)*\s+CVE-2023-32681 requests 2\.28\.0: not_affected \(vulnerable_code_not_in_execute_path\) by https:\/\/example\.com\/vex\/requests-1 \(referrer sha256:[0-9a-f]{64}\)/,
    );
    const off = JSON.parse(
      (await runCli(['scan', '--format', 'json', '--no-attached-vex', ref], env)).stdout,
    ) as {
      platforms: { findings: JsonFinding[] }[];
    };
    expect(off.platforms.flatMap((p) => p.findings).some((f) => f.suppressed)).toBe(false);
  });

  it('attaches to an OCI layout too', async () => {
    const layout = join(temp.path, 'layout');
    const index = await vulnerableIndex('layout');
    await storeFixture(await OciLayoutStore.open(layout, { create: true }), index, { tag: 'v1' });
    const run = await runCli(['scan', '--attach', `oci:${layout}:v1`], env);
    expect(run.code, run.stderr).toBe(0);
    expect(vulnAttestations(await referrersOf(`oci:${layout}:v1`))).toHaveLength(1);
  });
});

const describeWith = requireTools('docker-registry');

describeWith('scan results on a registry without the Referrers API (CNCF distribution 2.8)', () => {
  let registry: DockerRegistry;

  beforeAll(async () => {
    registry = await startDockerRegistry();
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it('attaches through the referrers fallback tag, which `airlock referrers` follows', async () => {
    const image = await push(registry.host, 'team/app', 'fallback');
    const run = await runCli(['scan', '--attach', image.ref], env);
    expect(run.code, run.stderr).toBe(0);
    const [attestation] = vulnAttestations(await referrersOf(image.ref));
    expect(attestation).toBeDefined();
    const repo = await session.repository({ registry: registry.host, repository: 'team/app' });
    const fallback = await repo.fetchManifest(referrersFallbackTag(image.index));
    expect(fallback.kind === 'index' && fallback.index.manifests.map((m) => m.digest)).toEqual([
      attestation!.digest,
    ]);
    const statement = await readStatement(registry.host, 'team/app', attestation!);
    expect(statement.subject[0]).toEqual({
      name: `${registry.host}/team/app`,
      digest: { sha256: image.index.slice(7) },
    });
    expect(statement.predicate.scanner.result.platforms).toHaveLength(2);
  });
});
