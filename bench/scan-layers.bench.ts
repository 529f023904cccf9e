/**
 * The layer reader against the floor it cannot beat: decompressing the same layers and
 * throwing the bytes away. Both read the same blobs from the same OCI layout (digest-verified
 * by the store) with the same zlib settings, each in a fresh process so that peak RSS is its
 * own, alternating over several rounds.
 *
 * Image: about 1 GiB of uncompressed layers (SCAN_BENCH_MIB to change it) in seven gzip layers,
 * described in src/scan/layers/testing/synthetic-image.ts.
 *
 * SCAN_BENCH_NODE_FLAGS passes V8 flags to both measured processes. The merged tree grows the
 * old generation steadily, and with Node's default initial heap V8 answers with dozens of
 * mark-compacts per scan; `--initial-old-space-size=128` (a worker setting, not a library
 * one) removes them.
 *
 * Selectors: what the detectors of a real scan ask for (os-release, dpkg, apk, rpm, npm
 * package.json, Python METADATA, and an ELF probe that reads every executable looking for Go
 * build info).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import type { Benchmark } from './run.js';
import { printTable, ratio, seconds } from './support/measure.js';
import { OciLayoutStore } from '../src/oci/layout/index.js';
import { layersOf, readFilesystem, type FileSelector } from '../src/scan/layers/index.js';
import {
  buildSyntheticImage,
  ELF_MAGIC,
  GO_BUILDINFO_MAGIC,
} from '../src/scan/layers/testing/synthetic-image.js';

const MiB = 1024 * 1024;
const ROUNDS = 5;
const TAG = 'bench';
const CHILD_MODE = 'SCAN_LAYERS_BENCH_CHILD';
const LAYOUT_DIR = 'SCAN_LAYERS_BENCH_LAYOUT';
/** The same output chunk size the reader's gunzip uses, so the baseline is like for like. */
const GUNZIP_CHUNK_BYTES = 64 * 1024;

interface ChildResult {
  ms: number;
  /** CPU time of all the process's threads (zlib inflates on libuv's pool), steadier than wall time on a busy machine. */
  cpuMs: number;
  maxRssMiB: number;
  files?: number;
  notices?: number;
}

const benchmark: Benchmark = {
  name: 'scan layers: reading an image for detectors vs merely decompressing its layers',
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'airlock-scan-bench-'));
    try {
      const totalMiB = Number(process.env.SCAN_BENCH_MIB ?? 1024);
      const started = performance.now();
      const image = await buildSyntheticImage(dir, totalMiB * MiB, TAG);
      console.log(
        `image: ${image.layers} gzip layers, ${(image.compressed / MiB).toFixed(0)} MiB compressed, ` +
          `${(image.uncompressed / MiB).toFixed(0)} MiB of tar, ${image.files} files (built in ${seconds(performance.now() - started)})`,
      );
      const decompress: ChildResult[] = [];
      const scan: ChildResult[] = [];
      // One unmeasured round of each: the layout was just written, and its pages are still
      // being flushed to disk while they are read for the first time.
      await runChild('decompress', dir);
      await runChild('scan', dir);
      for (let round = 0; round < ROUNDS; round++) {
        decompress.push(await runChild('decompress', dir));
        scan.push(await runChild('scan', dir));
      }
      const base = median(decompress, (r) => r.ms);
      const ours = median(scan, (r) => r.ms);
      const baseCpu = median(decompress, (r) => r.cpuMs);
      const oursCpu = median(scan, (r) => r.cpuMs);
      const peak = (results: ChildResult[]) =>
        `${Math.max(...results.map((r) => r.maxRssMiB)).toFixed(0)} MiB`;
      const flags = process.env.SCAN_BENCH_NODE_FLAGS ?? 'none';
      console.log(
        `median of ${ROUNDS} rounds, one process per run (node flags: ${flags}); the scan captured ${scan[0]!.files} files with ${scan[0]!.notices} notices`,
      );
      printTable([
        ['run', 'wall time', 'CPU time', 'peak RSS', 'target'],
        ['gunzip only (baseline)', seconds(base), seconds(baseCpu), peak(decompress), ''],
        ['readFilesystem', seconds(ours), seconds(oursCpu), peak(scan), 'RSS < 300 MiB'],
        ['ratio', ratio(ours, base), ratio(oursCpu, baseCpu), '', 'wall ≤ 1.30×'],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
export default benchmark;

function median(results: ChildResult[], pick: (r: ChildResult) => number): number {
  const sorted = results.map(pick).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function runChild(mode: 'decompress' | 'scan', dir: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const flags = (process.env.SCAN_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, [CHILD_MODE]: mode, [LAYOUT_DIR]: dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${mode} run exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Child processes: one measurement each.

async function child(mode: string, dir: string): Promise<void> {
  const store = await OciLayoutStore.open(dir);
  const manifest = await store.fetchManifest(TAG);
  if (manifest.kind !== 'image') throw new Error('expected an image manifest');
  const started = performance.now();
  const cpu = process.cpuUsage();
  let files: number | undefined;
  let notices: number | undefined;
  if (mode === 'decompress') {
    for (const layer of manifest.image.layers) {
      const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
      await pipeline(await store.fetchBlob(layer), createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }), sink);
    }
  } else {
    const fs = await readFilesystem(layersOf(store, manifest.image), detectorSelectors());
    files = fs.files.size;
    notices = fs.notices.length;
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ms, cpuMs, maxRssMiB, files, notices })}\n`);
}

function detectorSelectors(): FileSelector[] {
  const content = (test: (path: string) => boolean, maxBytes: number): FileSelector => ({
    select: (entry) => (test(entry.path) ? { kind: 'content', maxBytes } : undefined),
  });
  const elf: FileSelector = {
    select: (entry) =>
      (entry.mode & 0o111) !== 0 && entry.size >= 64
        ? {
            kind: 'probe',
            probe: async (chunks) => {
              let first = true;
              let isElf = false;
              let go = false;
              for await (const chunk of chunks) {
                if (first) {
                  isElf = chunk.subarray(0, 4).equals(ELF_MAGIC);
                  first = false;
                  if (!isElf) return undefined;
                }
                if (!go && chunk.indexOf(GO_BUILDINFO_MAGIC) >= 0) go = true;
              }
              return { isElf, go };
            },
          }
        : undefined,
  };
  return [
    content((p) => p === '/etc/os-release' || p === '/usr/lib/os-release', 64 * 1024),
    content((p) => p === '/var/lib/dpkg/status' || p.startsWith('/var/lib/dpkg/status.d/'), 64 * MiB),
    content((p) => p === '/lib/apk/db/installed', 64 * MiB),
    content((p) => p.endsWith('/rpm/rpmdb.sqlite'), 256 * MiB),
    content((p) => p.endsWith('/package.json') && p.includes('/node_modules/'), MiB),
    content((p) => p.endsWith('.dist-info/METADATA') || p.endsWith('.egg-info/PKG-INFO'), MiB),
    elf,
  ];
}

if (process.env[CHILD_MODE] !== undefined) {
  await child(process.env[CHILD_MODE]!, process.env[LAYOUT_DIR]!);
}
