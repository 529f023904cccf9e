/**
 * Mirroring speed and memory: Airlock against `skopeo sync` on the same images, from the
 * same source registry into fresh CNCF distribution registries, in one run.
 *
 * Corpus: 20 images × 5 layers × 2 MiB with 2 shared base layers, plus 5 two-platform
 * images. Cold: empty destinations. Warm: everything already there. Each both ways: a
 * process per repository, and one process for both repositories (skopeo's YAML source list,
 * Airlock's `sync --to`). Memory: one image with a 1 GiB layer, peak RSS of each copier.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Benchmark } from './run.js';
import { builtAirlock } from './support/airlock-cli.js';
import { measure, printTable, ratio, seconds } from './support/measure.js';
import { RegistrySession } from '../src/oci/remote/index.js';
import { MediaType } from '../src/oci/mediatype/index.js';
import { describeBytes, encodeManifest } from '../src/oci/manifest/index.js';
import { makeImageSet, pushFixtureToRegistry } from '../test/fixtures/index.js';
import { type DockerRegistry, skopeoInvocation, startDockerRegistry } from '../test/harness/index.js';

const MiB = 1024 * 1024;
const REPOSITORIES = ['bench/app', 'bench/multi'];
const ROUNDS = 3;

const benchmark: Benchmark = {
  name: 'copy: Airlock vs skopeo sync (cold, warm) and memory on a 1 GiB layer',
  requires: ['docker-registry', 'skopeo'],
  async run() {
    const airlock = builtAirlock();
    const source = await startDockerRegistry();
    const directory = await mkdtemp(join(tmpdir(), 'airlock-bench-sync-'));
    try {
      await seed(source);
      const list = await writeSkopeoSyncList(directory, source);
      const cold = { skopeo: [] as number[], airlock: [] as number[] };
      const warm = { skopeo: [] as number[], airlock: [] as number[] };
      const coldTogether = { skopeo: [] as number[], airlock: [] as number[] };
      const warmTogether = { skopeo: [] as number[], airlock: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        // Fresh, empty destinations every round and every mode: skopeo remembers where it saw
        // blobs (its blob-info cache) and would mount them from earlier copies instead of copying.
        const [forSkopeo, forAirlock, forSkopeoTogether, forAirlockTogether] = await Promise.all([
          startDockerRegistry(),
          startDockerRegistry(),
          startDockerRegistry(),
          startDockerRegistry(),
        ]);
        try {
          cold.skopeo.push(await skopeoSyncAll(source, forSkopeo));
          cold.airlock.push(await airlockSyncAll(airlock, source, forAirlock));
          warm.skopeo.push(await skopeoSyncAll(source, forSkopeo));
          warm.airlock.push(await airlockSyncAll(airlock, source, forAirlock));
          coldTogether.skopeo.push(await skopeoSyncTogether(list, forSkopeoTogether));
          coldTogether.airlock.push(await airlockSyncTogether(airlock, source, forAirlockTogether));
          warmTogether.skopeo.push(await skopeoSyncTogether(list, forSkopeoTogether));
          warmTogether.airlock.push(await airlockSyncTogether(airlock, source, forAirlockTogether));
          if (round === ROUNDS - 1) await bigLayer(airlock, source, forSkopeo, forAirlock);
        } finally {
          await Promise.all(
            [forSkopeo, forAirlock, forSkopeoTogether, forAirlockTogether].map((registry) => registry.stop()),
          );
        }
      }
      console.log(
        `20 images × 5 layers × 2 MiB (2 shared) + 5 images × 2 platforms, docker-registry → fresh docker-registry; median of ${ROUNDS} rounds`,
      );
      printTable([
        ['run', 'skopeo sync', 'airlock sync', 'ratio', 'target'],
        row('cold, a process per repository', cold, '≤ 0.35×'),
        row('warm, a process per repository', warm, '≤ 0.50×'),
        row('cold, one process (skopeo --src yaml)', coldTogether, '≤ 0.35×'),
        row('warm, one process (skopeo --src yaml)', warmTogether, '≤ 0.50×'),
      ]);
      // What every process pays before any work: the floor of the warm figures.
      const startup = { skopeo: [] as number[], airlock: [] as number[] };
      for (let i = 0; i < 5; i++) {
        startup.skopeo.push((await measure('skopeo', ['--version'])).ms);
        startup.airlock.push(
          (await measure(airlock.command, [...airlock.args, '--version'], isolatedEnv())).ms,
        );
      }
      printTable([
        ['start-up', 'skopeo --version', 'airlock --version', 'ratio', ''],
        row('median of 5', startup, ''),
      ]);
    } finally {
      await source.stop();
      await rm(directory, { recursive: true, force: true });
    }
  },
};
export default benchmark;

async function seed(source: DockerRegistry): Promise<void> {
  const app = await makeImageSet({
    images: 20,
    layersPerImage: 5,
    layerSize: 2 * MiB,
    sharedBaseLayers: 2,
    seed: 'bench-app',
  });
  const multi = await makeImageSet({
    images: 5,
    layersPerImage: 3,
    layerSize: 2 * MiB,
    sharedBaseLayers: 1,
    seed: 'bench-multi',
    multiArch: { platforms: ['linux/amd64', 'linux/arm64'] },
  });
  for (const [repository, set] of [
    [REPOSITORIES[0]!, app],
    [REPOSITORIES[1]!, multi],
  ] as const) {
    for (const { tag, fixture } of set.images)
      await pushFixtureToRegistry(fixture, { host: source.host, repository, tag });
  }
  console.log(`corpus: ${((app.totalBytes + multi.totalBytes) / MiB).toFixed(0)} MiB of distinct content`);
}

function row(name: string, runs: { skopeo: number[]; airlock: number[] }, target: string): string[] {
  const theirs = median(runs.skopeo);
  const ours = median(runs.airlock);
  return [name, seconds(theirs), seconds(ours), ratio(ours, theirs), target];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function skopeoSyncAll(source: DockerRegistry, destination: DockerRegistry): Promise<number> {
  let total = 0;
  for (const repository of REPOSITORIES) {
    const { args, env } = skopeoInvocation([
      'sync',
      '--all',
      '--src',
      'docker',
      '--dest',
      'docker',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      `${source.host}/${repository}`,
      `${destination.host}/mirror`,
    ]);
    total += (await measure('skopeo', args, env)).ms;
  }
  return total;
}

/** skopeo's source list naming both repositories (all tags of each), for `sync --src yaml`. */
async function writeSkopeoSyncList(directory: string, source: DockerRegistry): Promise<string> {
  const list = join(directory, 'sync.yaml');
  const images = REPOSITORIES.map((repository) => `    ${repository}: []`).join('\n');
  await writeFile(list, `${source.host}:\n  tls-verify: false\n  images:\n${images}\n`);
  return list;
}

/** Both repositories in one skopeo process, from the YAML source list. */
async function skopeoSyncTogether(list: string, destination: DockerRegistry): Promise<number> {
  const { args, env } = skopeoInvocation([
    'sync',
    '--all',
    '--src',
    'yaml',
    '--dest',
    'docker',
    '--dest-tls-verify=false',
    list,
    `${destination.host}/together`,
  ]);
  return (await measure('skopeo', args, env)).ms;
}

/** Both repositories in one Airlock process: `sync --to PREFIX REPO…` (the same names skopeo writes). */
async function airlockSyncTogether(
  airlock: { command: string; args: string[] },
  source: DockerRegistry,
  destination: DockerRegistry,
): Promise<number> {
  const sources = REPOSITORIES.map((repository) => `${source.host}/${repository}`);
  return (
    await measure(
      airlock.command,
      [...airlock.args, 'sync', '--to', `${destination.host}/together`, ...sources],
      isolatedEnv(),
    )
  ).ms;
}

async function airlockSyncAll(
  airlock: { command: string; args: string[] },
  source: DockerRegistry,
  destination: DockerRegistry,
): Promise<number> {
  let total = 0;
  for (const repository of REPOSITORIES) {
    const name = repository.split('/').at(-1)!;
    total += (
      await measure(
        airlock.command,
        [...airlock.args, 'sync', `${source.host}/${repository}`, `${destination.host}/mirror/${name}`],
        isolatedEnv(),
      )
    ).ms;
  }
  return total;
}

/** Runs both copiers on one image with a 1 GiB layer and reports their peak memory. */
async function bigLayer(
  airlock: { command: string; args: string[] },
  source: DockerRegistry,
  forSkopeo: DockerRegistry,
  forAirlock: DockerRegistry,
): Promise<void> {
  await pushBigImage(source.host, 'bench/big', 1024 * MiB);
  const { args, env } = skopeoInvocation([
    'copy',
    '--src-tls-verify=false',
    '--dest-tls-verify=false',
    `docker://${source.host}/bench/big:v1`,
    `docker://${forSkopeo.host}/big:v1`,
  ]);
  const skopeo = await measure('skopeo', args, env);
  const ours = await measure(
    airlock.command,
    [...airlock.args, 'copy', `${source.host}/bench/big:v1`, `${forAirlock.host}/big:v1`],
    isolatedEnv(),
  );
  console.log('\none image with a 1 GiB layer, docker-registry → fresh docker-registry');
  printTable([
    ['copier', 'wall time', 'peak RSS', 'target'],
    ['skopeo copy', seconds(skopeo.ms), `${skopeo.peakRssMiB?.toFixed(0) ?? '?'} MiB`, ''],
    ['airlock copy', seconds(ours.ms), `${ours.peakRssMiB?.toFixed(0) ?? '?'} MiB`, '< 200 MiB'],
  ]);
}

/** Streams a large pseudo-random layer to the registry without holding it in memory. */
async function pushBigImage(host: string, repository: string, size: number): Promise<void> {
  const chunk = () => {
    const base = Buffer.alloc(MiB);
    for (let i = 0; i < base.length; i += 4)
      base.writeUInt32LE((Math.imul(i, 2654435761) ^ 0x9e3779b9) >>> 0, i);
    return base;
  };
  const base = chunk();
  const stream = () =>
    Readable.from(
      (function* () {
        for (let i = 0; i < size / MiB; i++) {
          const part = Buffer.from(base);
          part.writeUInt32LE(i, 0);
          yield part;
        }
      })(),
    );
  const hash = createHash('sha256');
  for await (const part of stream()) hash.update(part as Buffer);
  const layer = { mediaType: MediaType.OciLayer, digest: `sha256:${hash.digest('hex')}`, size };
  const configBytes = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
    }),
  );
  const config = describeBytes(configBytes, MediaType.OciConfig);
  const session = new RegistrySession();
  try {
    const repo = await session.repository({ registry: host, repository });
    await repo.pushBlob(layer, stream());
    await repo.pushBlob(config, Readable.from([configBytes]));
    await repo.pushManifest(
      encodeManifest({ schemaVersion: 2, mediaType: MediaType.OciManifest, config, layers: [layer] }),
      { tag: 'v1' },
    );
  } finally {
    await session.close();
  }
}

function isolatedEnv(): NodeJS.ProcessEnv {
  // No cross-run blob cache: every round's destinations are fresh, and skopeo's cache cannot help it either.
  return {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    AIRLOCK_CONFIG_DIR: '/nonexistent/airlock',
    AIRLOCK_CACHE_DIR: 'off',
  };
}
