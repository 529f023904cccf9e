import { setMaxListeners } from 'node:events';
import { main } from './main.js';

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
