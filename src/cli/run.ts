import { setMaxListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { main } from './main.js';

/**
 * Commands whose only WebAssembly is undici's HTTP parser, and whose work is waiting on the
 * network, keep it on V8's baseline compiler: the optimising tier-up compiles in background
 * threads that the process waits for at exit, which added tens of milliseconds to every
 * `airlock copy`, far more than it saves. The others keep the default: long-running processes
 * (`serve`, `worker`, `registry`), and commands that run SQLite in WebAssembly (`scan` and
 * `sbom` reading rpm databases) or long workflows (`run`, `db`).
 */
const NETWORK_BOUND = new Set([
  'copy',
  'cp',
  'sync',
  'inspect',
  'tags',
  'catalog',
  'referrers',
  'login',
  'logout',
  'runs',
  'approvals',
  'approve',
  'deny',
  'token',
  'audit',
  'workflow',
]);
const command = process.argv[2] ?? '';
if (NETWORK_BOUND.has(command) || command.startsWith('-') || command === '')
  setFlagsFromString('--liftoff-only');

/**
 * pg-pool (used by the engine's libraries) trips pg's own deprecation notice about queued
 * queries on a connecting client; it is not actionable for users, so it is not printed.
 */
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (text.startsWith('Calling client.query() when the client is already executing a query')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

/** Process entry point: wires signals and real streams into {@link main}. */
const controller = new AbortController();
// Every in-flight request listens for cancellation; hundreds at once are expected, not a leak.
setMaxListeners(0, controller.signal);
// The first signal asks for a clean stop (in-flight work finishes or is cancelled); a second one
// ends the process at once.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  });
}
const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
