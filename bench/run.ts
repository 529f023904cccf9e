/**
 * Runs the benchmarks in bench/*.bench.ts (or those whose name contains an argument):
 * `npm run bench [-- copy registry]`. Each benchmark measures Airlock beside its
 * baseline in the same run and prints both with their ratio.
 */
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
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Benchmark };
  const bench = mod.default;
  const missing = (bench.requires ?? []).filter((tool) => !onPath(tool));
  console.log(`\n## ${bench.name}`);
  if (missing.length > 0) {
    console.log(`skipped: needs ${missing.join(', ')} on PATH`);
    continue;
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
