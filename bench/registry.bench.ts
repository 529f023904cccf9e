/**
 * The built-in registry against Debian's `docker-registry` (CNCF distribution 2.8) on the
 * same machine in the same run: manifest GET requests/s and blob push MB/s (a small undici
 * load generator), blob download MB/s (parallel curl clients), and the wall time of
 * `skopeo copy` of one image into each.
 * Both registries run on loopback with filesystem storage and may use every core: distribution
 * through Go's scheduler, Airlock as one worker process per core (`--workers`); distribution
 * gets its usual production settings (in-memory blob descriptor cache, access log off). Each
 * figure is the median of three rounds that alternate which registry goes first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool, request } from 'undici';
import { stringify } from 'yaml';
import { startAirlockRegistryProcess } from '../test/harness/airlock-registry.js';
import {
  type Blob as FixtureBlob,
  blobOf,
  type BuiltManifest,
  makeImage,
  seededBytes,
  writeLayout,
} from '../test/integration/registry/support/fixtures.js';
import { pushBlob, pushImage } from '../test/integration/registry/support/http.js';
import type { Benchmark } from './run.js';

const MiB = 1024 * 1024;
/** Concurrent connections of the manifest GET load. */
const MANIFEST_CONNECTIONS = 32;
const MANIFEST_SECONDS = 3;
const DOWNLOAD_BLOB_BYTES = 64 * MiB;
const DOWNLOAD_CONNECTIONS = 4;
/** Downloads each curl client makes over its connection. */
const DOWNLOADS_PER_CLIENT = 8;
const PUSH_BLOB_BYTES = 32 * MiB;
const PUSH_BLOBS = 16;
const PUSH_CONNECTIONS = 4;
/** distribution's Go runtime uses every core; Airlock scales out with one worker process per core. */
const AIRLOCK_WORKERS = Math.max(1, Math.min(availableParallelism(), 4));
/**
 * Airlock fsyncs every write by default; distribution never does. AIRLOCK_BENCH_FSYNC=0 runs
 * Airlock with distribution's durability, for a like-for-like view of the push figures.
 */
const AIRLOCK_FSYNC = process.env.AIRLOCK_BENCH_FSYNC !== '0';
/** Each measure is taken this many times per registry, alternating; the median is reported. */
const ROUNDS = 3;

interface Target {
  name: string;
  url: string;
  address: string;
  stop(): Promise<void>;
}

interface Figures {
  manifestRps: number;
  downloadMBps: number;
  pushMBps: number;
  skopeoSeconds: number;
}

const benchmark: Benchmark = {
  name: 'registry: Airlock vs CNCF distribution (docker-registry)',
  requires: ['docker-registry', 'skopeo', 'curl'],
  async run() {
    const work = await mkdtemp(join(tmpdir(), 'airlock-bench-registry-'));
    const targets: Target[] = [];
    try {
      const image = await makeImage({ seed: 1, layers: 3, layerSize: 8 * MiB });
      // One image per round, so that no skopeo copy can mount blobs an earlier one uploaded.
      for (let round = 0; round < ROUNDS; round++) {
        await writeLayout(join(work, `layout-${round}`), {
          image: await makeImage({ seed: 100 + round, layers: 3, layerSize: 8 * MiB }),
        });
      }
      targets.push(await startDistribution(join(work, 'distribution')));
      const airlock = await startAirlockRegistryProcess({
        dataDir: join(work, 'airlock'),
        env: { AIRLOCK_LOG_LEVEL: 'warn' },
        workers: AIRLOCK_WORKERS,
        config: { storage: { fsync: AIRLOCK_FSYNC } },
      });
      targets.push({
        name: 'airlock',
        url: airlock.url,
        address: airlock.address,
        stop: () => airlock.stop(),
      });
      const big = blobOf(seededBytes(7, DOWNLOAD_BLOB_BYTES), 'application/octet-stream');
      for (const target of targets) await seed(target, image, big);
      const samples = new Map<string, Figures[]>(targets.map((t) => [t.name, []]));
      // Alternate who goes first, so that drift in the machine's load favours neither.
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order)
          samples.get(target.name)!.push(await measure(target, big.digest, work, round));
      }
      report(medianOf(samples.get('distribution')!), medianOf(samples.get('airlock')!));
    } finally {
      for (const target of targets) await target.stop().catch(() => undefined);
      await rm(work, { recursive: true, force: true });
    }
  },
};

export default benchmark;

async function seed(target: Target, image: BuiltManifest, big: FixtureBlob): Promise<void> {
  await pushImage(target.url, 'bench/app', 'v1', image);
  const pushed = await pushBlob(target.url, 'bench/app', big);
  if (pushed.status !== 201)
    throw new Error(`${target.name}: seeding the download blob answered ${pushed.status}`);
}

async function measure(target: Target, digest: string, work: string, round: number): Promise<Figures> {
  return {
    manifestRps: await manifestLoad(target.url),
    downloadMBps: await downloadLoad(target.url, digest),
    pushMBps: await pushLoad(target.url),
    skopeoSeconds: await skopeoCopyTime(target.address, work, round),
  };
}

function medianOf(figures: Figures[]): Figures {
  const median = (pick: (f: Figures) => number) => {
    const values = figures.map(pick).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)]!;
  };
  return {
    manifestRps: median((f) => f.manifestRps),
    downloadMBps: median((f) => f.downloadMBps),
    pushMBps: median((f) => f.pushMBps),
    skopeoSeconds: median((f) => f.skopeoSeconds),
  };
}

/** Manifest GETs by tag over keep-alive connections for a fixed time. */
async function manifestLoad(url: string): Promise<number> {
  const pool = new Pool(url, { connections: MANIFEST_CONNECTIONS, pipelining: 1 });
  const headers = {
    accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json',
  };
  let count = 0;
  const until = performance.now() + MANIFEST_SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: MANIFEST_CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const response = await pool.request({ method: 'GET', path: '/v2/bench/app/manifests/v1', headers });
        await response.body.arrayBuffer();
        if (response.statusCode !== 200) throw new Error(`manifest GET answered ${response.statusCode}`);
        count++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return count / seconds;
}

/**
 * Downloads of one 64 MiB blob by parallel `curl` processes, each reusing its connection:
 * curl costs the shared CPU far less than a JavaScript client, so the figure is the server's.
 */
async function downloadLoad(url: string, digest: string): Promise<number> {
  const args = ['-s', '--fail'];
  for (let i = 0; i < DOWNLOADS_PER_CLIENT; i++)
    args.push('-o', '/dev/null', `${url}/v2/bench/app/blobs/${digest}`);
  const started = performance.now();
  await Promise.all(Array.from({ length: DOWNLOAD_CONNECTIONS }, () => runCommand('curl', args)));
  const seconds = (performance.now() - started) / 1000;
  return (DOWNLOAD_CONNECTIONS * DOWNLOADS_PER_CLIENT * DOWNLOAD_BLOB_BYTES) / MiB / seconds;
}

/** Monolithic POST + PUT pushes of distinct blobs, a few at a time. */
async function pushLoad(url: string): Promise<number> {
  const blobs = Array.from({ length: PUSH_BLOBS }, (_, i) =>
    blobOf(
      seededBytes(1000 + i + Math.floor(Math.random() * 1e9), PUSH_BLOB_BYTES),
      'application/octet-stream',
    ),
  );
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PUSH_CONNECTIONS }, async () => {
      while (next < blobs.length) {
        const blob = blobs[next++]!;
        const reply = await pushBlob(url, 'bench/push', blob);
        if (reply.status !== 201) throw new Error(`push answered ${reply.status}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return (PUSH_BLOBS * PUSH_BLOB_BYTES) / MiB / seconds;
}

/** Wall time of `skopeo copy` of this round's image (3 × 8 MiB layers) from an OCI layout. */
async function skopeoCopyTime(address: string, work: string, round: number): Promise<number> {
  const started = performance.now();
  await runCommand('skopeo', [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    '--policy',
    await acceptAnythingPolicy(work),
    `oci:${join(work, `layout-${round}`)}:image`,
    `docker://${address}/bench/skopeo-${round}:v1`,
  ]);
  return (performance.now() - started) / 1000;
}

function report(distribution: Figures, airlock: Figures): void {
  const rows: [string, number, number, boolean][] = [
    ['manifest GET (requests/s)', distribution.manifestRps, airlock.manifestRps, true],
    ['blob download (MiB/s)', distribution.downloadMBps, airlock.downloadMBps, true],
    ['blob push (MiB/s)', distribution.pushMBps, airlock.pushMBps, true],
    ['skopeo copy (s, lower is better)', distribution.skopeoSeconds, airlock.skopeoSeconds, false],
  ];
  console.log(
    `${'measure'.padEnd(34)}${'distribution'.padStart(14)}${'airlock'.padStart(12)}${'ratio'.padStart(9)}`,
  );
  for (const [label, base, ours, higherIsBetter] of rows) {
    const ratio = higherIsBetter ? ours / base : base / ours;
    console.log(
      `${label.padEnd(34)}${base.toFixed(2).padStart(14)}${ours.toFixed(2).padStart(12)}${`${ratio.toFixed(2)}x`.padStart(9)}`,
    );
  }
  console.log(
    'ratio > 1.00x: Airlock is faster (for skopeo copy the ratio is distribution time / Airlock time)',
  );
  console.log(
    `Airlock ran with ${AIRLOCK_WORKERS} worker process(es), fsync ${AIRLOCK_FSYNC ? 'on' : 'off'}; the load generator shares the machine.`,
  );
}

async function startDistribution(dir: string): Promise<Target> {
  const port = await freePort();
  const config = {
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: join(dir, 'data') },
      delete: { enabled: true },
      cache: { blobdescriptor: 'inmemory' },
    },
    http: { addr: `127.0.0.1:${port}`, secret: 'bench' },
  };
  await runCommand('mkdir', ['-p', join(dir, 'data')]);
  await writeFile(join(dir, 'config.yml'), stringify(config));
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const response = await request(`${url}/v2/`);
      await response.body.dump();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    name: 'distribution',
    url,
    address: `127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
    },
  };
}

let policyFile: string | undefined;
async function acceptAnythingPolicy(work: string): Promise<string> {
  policyFile ??= join(work, 'policy.json');
  await writeFile(policyFile, '{"default":[{"type":"insecureAcceptAnything"}]}');
  return policyFile;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function runCommand(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr}`)),
    );
  });
}
