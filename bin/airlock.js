#!/usr/bin/env node
// Runs the bundled CLI when it has been built (`npm run build` / `npm run bundle`: one file,
// fast start-up) and is current, else the sources through tsx (a fresh clone right after
// `npm ci`, or a checkout whose sources changed since the last build).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundle = join(root, 'dist', 'airlock.mjs');
const sources = join(root, 'src');
if (existsSync(bundle) && !newerThan(sources, statSync(bundle).mtimeMs)) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(sources, 'cli', 'run.ts')).href);
}

/** Whether a file under `dir` (absent in an installed package) changed after `time`. */
function newerThan(dir, time) {
  if (!existsSync(dir)) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs > time)
      return true;
  }
  return false;
}
