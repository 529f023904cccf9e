/**
 * Runs the benchmarks in bench/*.bench.ts (or those whose name contains an argument):
 * `npm run bench [-- copy registry]`. Each benchmark measures Airlock beside its
 * baseline in the same run and prints both with their ratio.
 *
 * Every benchmark runs in a process of its own, after the disk has been flushed, so that what
 * one leaves behind (heap, peak RSS, open handles, dirty pages) cannot show in another's figures.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Benchmark {
  name: string;
  /** Tools the benchmark needs on PATH; it is skipped with a message when one is missing. */
  requires?: string[];
  run(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const ONE = '--one';

if (process.argv[2] === ONE) {
  await runOne(process.argv[3]!);
  // Whatever a benchmark left open (a pool's idle timer, a child server) must not keep its process.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(0);
} else {
  const filters = process.argv.slice(2);
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  let failed = 0;
  for (const file of files) {
    // Start each from a quiet disk: the copy benchmark leaves gigabytes of dirty pages whose
    // writeback would otherwise slow the next one's Postgres commits.
    spawnSync('sync');
    const code = await new Promise<number>((resolve) => {
      const child = spawn(
        process.execPath,
        [...process.execArgv, fileURLToPath(import.meta.url), ONE, file],
        {
          stdio: 'inherit',
        },
      );
      child.on('exit', (status) => resolve(status ?? 1));
    });
    if (code !== 0) {
      failed++;
      console.log(`${file} failed (exit code ${code})`);
    }
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

async function runOne(file: string): Promise<void> {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Benchmark };
  const bench = mod.default;
  const missing = (bench.requires ?? []).filter((tool) => !onPath(tool));
  console.log(`\n## ${bench.name}`);
  if (missing.length > 0) {
    console.log(`skipped: needs ${missing.join(', ')} on PATH`);
    return;
  }
  await bench.run();
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      return readdirSync(dir).includes(tool);
    } catch {
      return false;
    }
  });
}
