import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciLayoutStore } from '../../src/oci/layout/index.js';
import { makeIndex, storeFixture } from '../fixtures/index.js';
import { validateCycloneDx16, validateSpdx23 } from '../fixtures/sbom-schemas.js';
import { type TempDir, type TestDatabase, createTestDatabase, makeTempDir } from '../harness/index.js';
import { isolatedEnv, runCli } from './cli-harness.js';
import { vulnerableImage } from './scan-fixtures.js';

describe('airlock scan and airlock sbom', () => {
  let temp: TempDir;
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let layout: string;

  beforeAll(async () => {
    temp = await makeTempDir('scan');
    database = await createTestDatabase();
    env = {
      ...isolatedEnv(temp.path),
      DATABASE_URL: database.connectionString,
      AIRLOCK_DATA_DIR: join(temp.path, 'data'),
    };
    layout = join(temp.path, 'layout');
    const index = makeIndex({ manifests: [await vulnerableImage('amd64'), await vulnerableImage('arm64')] });
    await storeFixture(await OciLayoutStore.open(layout, { create: true }), index, { tag: 'v1' });
    for (const ecosystem of ['Debian', 'PyPI']) {
      const imported = await runCli(['db', 'import', join('test/fixtures/osv', ecosystem)], env);
      expect(imported.code, imported.stderr).toBe(0);
    }
  });

  afterAll(async () => {
    await database?.drop();
    await temp?.remove();
  });

  it('finds the OS and language vulnerabilities of every platform, offline', async () => {
    const run = await runCli(['scan', '--format', 'json', `oci:${layout}:v1`], env);
    expect(run.code, run.stderr).toBe(0);
    const scan = JSON.parse(run.stdout) as {
      platforms: {
        inventory: { platform: { architecture: string }; os: { id: string }; packages: unknown[] };
        findings: {
          id: string;
          package: { name: string; version: string };
          fixedVersions: string[];
          aliases: string[];
        }[];
      }[];
      summary: Record<string, number>;
    };
    expect(scan.platforms.map((p) => p.inventory.platform.architecture).sort()).toEqual(['amd64', 'arm64']);
    for (const platform of scan.platforms) {
      expect(platform.inventory.os.id).toBe('debian');
      const openssl = platform.findings.find((f) => f.id === 'CVE-2023-0286');
      expect(openssl?.package).toMatchObject({ name: 'libssl3', version: '3.0.7-1' });
      expect(openssl?.fixedVersions).toContain('3.0.8-1');
      const requests = platform.findings.find((f) => f.id === 'CVE-2023-32681');
      expect(requests?.package).toMatchObject({ name: 'requests', version: '2.28.0' });
      expect(requests?.aliases).toContain('PYSEC-2023-74');
      expect(platform.findings.some((f) => f.package.name === 'zlib1g')).toBe(false);
    }
  });

  it('prints a readable table and fails on a severity threshold', async () => {
    const table = await runCli(['scan', `oci:${layout}:v1`, '--platform', 'linux/arm64'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/linux\/arm64 .*Debian GNU\/Linux 12 \(bookworm\), 4 packages from layers/);
    expect(table.stdout).toMatch(/CVE-2023-0286\s+libssl3\s+3\.0\.7-1\s+3\.0\.8-1/);
    // The fixture advisories carry no scores (Debian's data has none): they rate UNKNOWN.
    expect((await runCli(['scan', `oci:${layout}:v1`, '--fail-on', 'high'], env)).code).toBe(0);
    expect((await runCli(['scan', `oci:${layout}:v1`, '--fail-on', 'unknown'], env)).code).toBe(6);
  });

  it('writes SARIF and CycloneDX with vulnerabilities that validate against the schema', async () => {
    const sarif = JSON.parse(
      (await runCli(['scan', '--format', 'sarif', `oci:${layout}:v1`], env)).stdout,
    ) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toContain('CVE-2023-0286');
    const bom = JSON.parse(
      (await runCli(['scan', '--format', 'cyclonedx', `oci:${layout}:v1`], env)).stdout,
    ) as { vulnerabilities: { id: string; affects: unknown[] }[] };
    expect(validateCycloneDx16(bom).errors).toEqual([]);
    expect(bom.vulnerabilities.find((v) => v.id === 'CVE-2023-0286')?.affects.length).toBeGreaterThan(0);
  });

  it('suppresses a finding an OpenVEX document declares not affected, saying why', async () => {
    const vex = join(temp.path, 'requests.openvex.json');
    await writeFile(
      vex,
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        '@id': 'https://example.com/vex/requests-1',
        author: 'secops@example.com',
        timestamp: '2026-11-01T00:00:00Z',
        version: 1,
        statements: [
          {
            vulnerability: { name: 'CVE-2023-32681' },
            products: [{ '@id': 'pkg:pypi/requests@2.28.0' }],
            status: 'not_affected',
            justification: 'vulnerable_code_not_in_execute_path',
          },
        ],
      }),
    );
    const run = await runCli(['scan', `oci:${layout}:v1`, '--vex', vex, '--platform', 'linux/amd64'], env);
    expect(run.stdout).toMatch(
      /Suppressed \(VEX\):\n\s+CVE-2023-32681 requests 2\.28\.0: not_affected \(vulnerable_code_not_in_execute_path\)/,
    );
  });

  it('writes an SPDX 2.3 SBOM of one platform that validates against the schema', async () => {
    const run = await runCli(
      ['sbom', '--format', 'spdx', '--platform', 'linux/arm64', `oci:${layout}:v1`],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout) as { packages: { name: string }[] };
    expect(validateSpdx23(document).errors).toEqual([]);
    expect(document.packages.map((p) => p.name)).toEqual(expect.arrayContaining(['libssl3', 'requests']));
  });

  it('warns when the vulnerability database is empty instead of reporting a clean image', async () => {
    const empty = await createTestDatabase();
    try {
      const run = await runCli(['scan', `oci:${layout}:v1`], {
        ...env,
        DATABASE_URL: empty.connectionString,
      });
      expect(run.stderr).toMatch(/vulnerability database is empty/);
      // Evidence of a scan against no data would read as a clean image: it is refused.
      const saved = await runCli(['scan', '--save', '--attach', `oci:${layout}:v1`], {
        ...env,
        DATABASE_URL: empty.connectionString,
      });
      expect(saved.code).toBe(2);
      expect(saved.stderr).toMatch(
        /is empty: a result saved now would claim the image has no vulnerabilities/,
      );
      expect((await runCli(['referrers', `oci:${layout}:v1`], env)).stdout).not.toMatch(/in-toto/);
    } finally {
      await empty.drop();
    }
  });
});
