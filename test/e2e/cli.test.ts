import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RegistrySession } from '../../src/oci/remote/index.js';
import {
  makeImage,
  makeIndex,
  makeLayer,
  makeSignatureArtifact,
  mergeFixtures,
  pushFixtureToRegistry,
  storeFixture,
} from '../fixtures/index.js';
import {
  type DockerRegistry,
  type TempDir,
  makeTempDir,
  requireTools,
  skopeoInspectRaw,
  startDockerRegistry,
} from '../harness/index.js';
import { isolatedEnv, runCli } from './cli-harness.js';

const describeWith = requireTools('docker-registry', 'skopeo');
const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;

describeWith('airlock CLI against real registries', () => {
  let source: DockerRegistry;
  let target: DockerRegistry;
  let secured: DockerRegistry;
  let temp: TempDir;
  let env: NodeJS.ProcessEnv;
  let indexDigest: string;
  let indexBytes: Uint8Array;

  beforeAll(async () => {
    [source, target, secured] = await Promise.all([
      startDockerRegistry(),
      startDockerRegistry(),
      startDockerRegistry({ auth: { mode: 'htpasswd', users: { bob: 'correct-horse-battery' } } }),
    ]);
    temp = await makeTempDir('cli');
    env = isolatedEnv(temp.path);
    const base = await makeLayer({ seed: 'cli-base', size: 32 * 1024 });
    const images = await Promise.all(
      ['linux/amd64', 'linux/arm64'].map(async (platform, i) =>
        makeImage({ layers: [base, await makeLayer({ seed: ['cli', i], size: 16 * 1024 })], platform }),
      ),
    );
    const index = makeIndex({ manifests: images });
    indexDigest = index.root.descriptor.digest;
    indexBytes = index.root.bytes;
    // Through Airlock's client: it maintains the referrers fallback tag that CNCF distribution needs.
    const session = new RegistrySession();
    await storeFixture(
      await session.repository({ registry: source.host, repository: 'library/app' }),
      mergeFixtures(index, makeSignatureArtifact(index)),
      { tag: '1.2.0' },
    );
    await session.close();
    for (const [i, tag] of ['1.0.0', '1.1.0', '2.0.0-rc1', 'latest'].entries()) {
      const image = makeImage({ layers: [base], runtimeConfig: { Labels: { tag, i: String(i) } } });
      await pushFixtureToRegistry(image, { host: source.host, repository: 'library/app', tag });
    }
  });

  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop(), secured?.stop()]);
    await temp?.remove();
  });

  it('copies an image, then reports it up to date', async () => {
    const first = await runCli(
      ['copy', `${source.host}/library/app:1.2.0`, `${target.host}/mirror/app`],
      env,
    );
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(
        `^copied +${source.host}/library/app:1.2.0 → ${target.host}/mirror/app:1.2.0 +sha256:[0-9a-f]{12}`,
        'm',
      ),
    );
    expect(first.stdout).toMatch(/1 image: 1 copied; .* transferred/);
    expect(
      Buffer.compare(
        await skopeoInspectRaw(`docker://${target.host}/mirror/app:1.2.0`),
        Buffer.from(indexBytes),
      ),
    ).toBe(0);

    const second = await runCli(
      ['copy', `${source.host}/library/app:1.2.0`, `${target.host}/mirror/app`],
      env,
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^ok .* up to date/m);
  });

  it('prints JSON for machines', async () => {
    const run = await runCli(
      ['copy', '--json', '--referrers', `${source.host}/library/app:1.2.0`, `${target.host}/json/app:1.2.0`],
      env,
    );
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.stdout) as {
      images: { digest: string; status: string; referrers: unknown[]; destination: string }[];
    };
    expect(parsed.images[0]).toMatchObject({
      digest: indexDigest,
      status: 'copied',
      destination: `${target.host}/json/app:1.2.0`,
    });
    expect(parsed.images[0]!.referrers).toHaveLength(1);
  });

  it('plans without writing in a dry run', async () => {
    const run = await runCli(
      ['copy', '--dry-run', `${source.host}/library/app:1.2.0`, `${target.host}/dry/app:1.2.0`],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^would copy .* \(\d+ blobs and \d+ manifests to copy/m);
    const tags = await runCli(['tags', `${target.host}/dry/app`], env);
    expect(tags.stdout).toBe('');
  });

  it('narrows to one platform and says it wrote a new index', async () => {
    const run = await runCli(
      [
        'copy',
        '--platform',
        'linux/arm64',
        `${source.host}/library/app:1.2.0`,
        `${target.host}/arm/app:1.2.0`,
      ],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/platforms linux\/arm64 → new index \(source sha256:/);
    const inspect = await runCli(['inspect', `${target.host}/arm/app:1.2.0`], env);
    expect(inspect.stdout).toMatch(/linux\/arm64/);
    expect(inspect.stdout).not.toMatch(/linux\/amd64/);
  });

  it('copies many sources under a prefix and from a file, naming a bad line precisely', async () => {
    const many = await runCli(
      [
        'copy',
        `${source.host}/library/app:1.0.0`,
        `${source.host}/library/app:1.1.0`,
        '--to',
        `${target.host}/many`,
      ],
      env,
    );
    expect(many.code).toBe(0);
    expect(many.stdout).toMatch(/2 images: 2 copied/);
    const list = join(temp.path, 'images.txt');
    await writeFile(
      list,
      `# mirror list\n${source.host}/library/app:1.0.0 ${target.host}/file/app:1.0.0\n\n${source.host}/library/App:1.1.0\n`,
    );
    const bad = await runCli(['copy', '-f', list, '--to', `${target.host}/file`], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/images\.txt:4: .*repository names must be lowercase/);
    expect(bad.stderr).not.toMatch(STACK_LINE);
  });

  it('syncs the tags the filters select', async () => {
    const run = await runCli(
      [
        'sync',
        `${source.host}/library/app`,
        `${target.host}/synced/app`,
        '--semver',
        '>=1.1',
        '--latest',
        '2',
      ],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/5 tags, 2 selected/);
    const tags = await runCli(['tags', `${target.host}/synced/app`], env);
    expect(tags.stdout.trim().split('\n')).toEqual(['1.1.0', '1.2.0']);
  });

  it('syncs several repositories in one run, under a prefix or from a file, mounting what they share', async () => {
    const base = await makeLayer({ seed: 'cli-base', size: 32 * 1024 });
    for (const tag of ['0.9', '1.0']) {
      const image = makeImage({ layers: [base], runtimeConfig: { Labels: { tool: tag } } });
      await pushFixtureToRegistry(image, { host: source.host, repository: 'tools/cli', tag });
    }
    const run = await runCli(
      [
        'sync',
        '--to',
        `${target.host}/fleet`,
        `${source.host}/library/app`,
        `${source.host}/tools/cli`,
        '--exclude',
        '^(latest|2\\.)',
        '--json',
      ],
      // Without the cross-run cache, so that the mounts below can only come from this one run.
      { ...env, AIRLOCK_CACHE_DIR: 'off' },
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      repositories: { source: string; destination: string; tagsAvailable: number; tagsSelected: string[] }[];
      images: { status: string; stats: { blobsMounted: number; blobsCopied: number } }[];
    };
    expect(report.repositories).toEqual([
      {
        source: `${source.host}/library/app`,
        destination: `${target.host}/fleet/library/app`,
        tagsAvailable: 5,
        tagsSelected: ['1.0.0', '1.1.0', '1.2.0'],
      },
      {
        source: `${source.host}/tools/cli`,
        destination: `${target.host}/fleet/tools/cli`,
        tagsAvailable: 2,
        tagsSelected: ['0.9', '1.0'],
      },
    ]);
    expect(report.images.map((image) => image.status)).toEqual(Array(5).fill('copied'));
    // The base layer both repositories share crosses the network once; the second repository mounts it.
    expect(report.images.reduce((n, image) => n + image.stats.blobsMounted, 0)).toBeGreaterThan(0);
    const tags = await runCli(['tags', `${target.host}/fleet/tools/cli`], env);
    expect(tags.stdout.trim().split('\n')).toEqual(['0.9', '1.0']);

    // The same two repositories from a file: everything is already there.
    const list = join(temp.path, 'repositories.txt');
    await writeFile(
      list,
      `# mirrored nightly\n${source.host}/library/app ${target.host}/fleet/library/app\n${source.host}/tools/cli\n`,
    );
    const again = await runCli(
      ['sync', '-f', list, '--to', `${target.host}/fleet`, '--exclude', '^(latest|2\\.)'],
      env,
    );
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/library\/app: 5 tags, 3 selected/);
    expect(again.stderr).toMatch(/tools\/cli: 2 tags, 2 selected/);
    expect(again.stdout).toMatch(/5 images: 5 up to date/);

    const typo = await runCli(['sync', '--to', `${target.host}/fleet`, `${source.host}/tools/cil`], env);
    expect(typo.code).toBe(0);
    expect(typo.stderr).toMatch(/tools\/cil: no tags \(an empty repository, or no repository of that name\)/);

    // A source that cannot be listed (no credentials for it) fails alone; the others are mirrored.
    const partial = await runCli(
      [
        'sync',
        '--to',
        `${target.host}/partial`,
        `${secured.host}/library/app`,
        `${source.host}/tools/cli`,
        '--json',
      ],
      env,
    );
    expect(partial.code).toBe(5);
    const partialReport = JSON.parse(partial.stdout) as {
      repositories: { source: string; tagsSelected: string[]; error?: { code: string } }[];
      images: { source: string; status?: string; scope?: string; error?: { code: string } }[];
    };
    expect(partialReport.repositories.map((r) => [r.source, r.tagsSelected, r.error?.code])).toEqual([
      [`${secured.host}/library/app`, [], 'OCI_UNAUTHORIZED'],
      [`${source.host}/tools/cli`, ['0.9', '1.0'], undefined],
    ]);
    expect(
      partialReport.images.map((image) => image.status ?? `${image.scope}: ${image.error?.code}`),
    ).toEqual(['copied', 'copied', 'repository: OCI_UNAUTHORIZED']);
    const human = await runCli(
      ['sync', '--to', `${target.host}/partial`, `${secured.host}/library/app`, `${source.host}/tools/cli`],
      env,
    );
    expect(human.code).toBe(5);
    expect(human.stderr).toMatch(/library\/app: tags could not be listed \[OCI_UNAUTHORIZED\]/);
    expect(human.stdout).toMatch(/failed +.*library\/app → .*partial\/library\/app/);
    expect(human.stdout).toMatch(/2 images: 2 up to date; 1 repository could not be listed;/);

    const badFilter = await runCli(
      [
        'sync',
        '--to',
        `${target.host}/fleet`,
        `${source.host}/tools/cli`,
        `${source.host}/library/app`,
        '--include',
        '(1',
      ],
      env,
    );
    expect(badFilter.code).toBe(2);
    expect(badFilter.stderr).toMatch(/include/);
    expect(badFilter.stdout).toBe('');

    const tagged = await runCli(
      ['sync', '--to', `${target.host}/fleet`, `${source.host}/tools/cli:1.0`],
      env,
    );
    expect(tagged.code).toBe(2);
    expect(tagged.stderr).toMatch(
      /sync source ".*tools\/cli:1\.0" must be a repository without tag or digest/,
    );
  });

  it('mounts, in a later run, the blobs an earlier run left in another repository of the registry', async () => {
    const image = makeImage({
      layers: [await makeLayer({ seed: 'cache-layer', size: 48 * 1024 })],
      runtimeConfig: { Labels: { purpose: 'blob location cache' } },
    });
    await pushFixtureToRegistry(image, { host: source.host, repository: 'cache/app', tag: 'v1' });
    // One process per copy; the stats of its one image.
    const copyInto = async (repository: string, extra: NodeJS.ProcessEnv = {}) => {
      const run = await runCli(
        ['copy', `${source.host}/cache/app:v1`, `${target.host}/${repository}`, '--json'],
        { ...env, ...extra },
      );
      expect(run.code).toBe(0);
      return (
        JSON.parse(run.stdout) as { images: { stats: { blobsCopied: number; blobsMounted: number } }[] }
      ).images[0]!.stats;
    };
    expect(await copyInto('cache/one')).toMatchObject({ blobsCopied: 2, blobsMounted: 0 });
    // Another process, another repository: the layer and config are mounted from cache/one.
    expect(await copyInto('cache/two')).toMatchObject({ blobsCopied: 0, blobsMounted: 2 });
    // Without the cache, the same copy uploads again.
    expect(await copyInto('cache/three', { AIRLOCK_CACHE_DIR: 'off' })).toMatchObject({
      blobsCopied: 2,
      blobsMounted: 0,
    });
  });

  it('lists and filters tags', async () => {
    const all = await runCli(['tags', '--json', `${source.host}/library/app`], env);
    expect(JSON.parse(all.stdout)).toEqual(['1.0.0', '1.1.0', '1.2.0', '2.0.0-rc1', 'latest']);
    const newest = await runCli(
      ['tags', '--semver', '>=1', '--prerelease', '--latest', '1', `${source.host}/library/app`],
      env,
    );
    expect(newest.stdout.trim()).toBe('2.0.0-rc1');
  });

  it('inspects an index and prints the exact manifest with --raw', async () => {
    const human = await runCli(['inspect', `${source.host}/library/app:1.2.0`], env);
    expect(human.stdout).toMatch(new RegExp(`Digest +${indexDigest}`));
    expect(human.stdout).toMatch(/Manifests \(2\)/);
    const raw = await runCli(['inspect', '--raw', `${source.host}/library/app:1.2.0`], env);
    expect(raw.stdout).toBe(Buffer.from(indexBytes).toString('utf8'));
    const config = await runCli(
      ['inspect', '--platform', 'linux/arm64', `${source.host}/library/app:1.2.0`],
      env,
    );
    expect(config.stdout).toMatch(/Platform +linux\/arm64/);
  });

  it('copies several images into one OCI layout in one run, keeping every tag', async () => {
    const layout = join(temp.path, 'several-layout');
    const list = join(temp.path, 'to-layout.txt');
    await writeFile(
      list,
      ['1.0.0', '1.1.0', '1.2.0']
        .map((tag) => `${source.host}/library/app:${tag} oci:${layout}:${tag}`)
        .join('\n'),
    );
    const run = await runCli(['copy', '-f', list], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
      manifests: { annotations?: Record<string, string> }[];
    };
    expect(index.manifests.map((m) => m.annotations?.['org.opencontainers.image.ref.name']).sort()).toEqual([
      '1.0.0',
      '1.1.0',
      '1.2.0',
    ]);
  });

  it('lists the repositories of a registry, page by page', async () => {
    const run = await runCli(['catalog', '--json', source.host], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toContain('library/app');
    const filtered = await runCli(['catalog', '--prefix', 'nothing/', source.host], env);
    expect(filtered.stdout).toBe('');
  });

  it('shows referrers as a tree', async () => {
    const run = await runCli(['referrers', `${source.host}/library/app:1.2.0`], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/└── application\/vnd\.dev\.sigstore\.bundle\.v0\.3\+json +sha256:/);
  });

  it('fails with a clear message and exit code, never a stack trace', async () => {
    const missing = await runCli(['inspect', `${source.host}/library/app:9.9.9`], env);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/library\/app:9\.9\.9: registry answered 404 \(MANIFEST_UNKNOWN/);
    expect(missing.stderr).not.toMatch(STACK_LINE);
    const usage = await runCli(['copy', 'only-one'], env);
    expect(usage.code).toBe(2);
    const badPlatform = await runCli(['copy', '--platform', 'linux', 'a', 'b'], env);
    expect(badPlatform.code).toBe(2);
    expect(badPlatform.stderr).toMatch(/invalid platform "linux"/);
  });

  it('logs in (checking the credentials first), copies with the saved credentials, and logs out', async () => {
    const wrong = await runCli(
      ['login', secured.host, '-u', 'bob', '--password-stdin'],
      env,
      'not-the-password\n',
    );
    expect(wrong.code).toBe(3);
    expect(wrong.stderr + wrong.stdout).not.toMatch(/not-the-password/);

    const denied = await runCli(
      ['copy', `${source.host}/library/app:1.0.0`, `${secured.host}/team/app:1.0.0`],
      env,
    );
    expect(denied.code).toBe(3);
    expect(denied.stdout).toMatch(/airlock login/);

    const login = await runCli(
      ['login', secured.host, '-u', 'bob', '--password-stdin'],
      env,
      'correct-horse-battery\n',
    );
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(/Login succeeded/);
    const file = join(env.AIRLOCK_CONFIG_DIR!, 'auth.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const copied = await runCli(
      ['copy', `${source.host}/library/app:1.0.0`, `${secured.host}/team/app:1.0.0`],
      env,
    );
    expect(copied.code).toBe(0);

    const logout = await runCli(['logout', secured.host], env);
    expect(logout.code).toBe(0);
    const again = await runCli(['tags', `${secured.host}/team/app`], env);
    expect(again.code).toBe(3);
  });

  it('runs as a command through its bin script', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/airlock.js', '--version'], {
      env: { ...env, PATH: process.env.PATH },
    });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
