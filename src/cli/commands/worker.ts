import type { Command } from 'commander';
import { resolveDataDir } from '../../app/data-dir.js';
import { createLogger } from '../../kernel/index.js';
import { type CliIo, print } from '../io.js';
import { positiveInt } from '../options.js';

interface WorkerFlags {
  data?: string;
  id?: string;
  concurrency?: number;
  logLevel?: string;
}

/** `airlock worker`: one more process executing runs from the shared database (the scale-out path). */
export function registerWorkerCommand(program: Command, io: CliIo): void {
  program
    .command('worker')
    .summary('execute workflow runs (join the engine)')
    .description(
      'Execute workflow runs from the database `DATABASE_URL` names (or the embedded one in the data directory): every worker takes runs from the same queue, and takes over the runs of workers that stopped. Start as many as you need, on as many machines.',
    )
    .option('--data <dir>', 'Airlock data directory (default $AIRLOCK_DATA_DIR, else ./.airlock)')
    .option(
      '--id <id>',
      "this worker's identity (default: one kept in the data directory); give each worker sharing a data directory its own",
    )
    .option('--concurrency <n>', 'runs executed at once (default 16)', positiveInt('--concurrency'))
    .option('--log-level <level>', 'log level (default $AIRLOCK_LOG_LEVEL, else info)')
    .action(async (flags: WorkerFlags) => {
      const { startEngine } = await import('../../app/engine.js');
      const logger = createLogger({
        level: flags.logLevel,
        base: { component: 'worker' },
        destination: io.stderr,
      });
      const running = await startEngine({
        dataDir: resolveDataDir(flags.data, io.env),
        env: io.env,
        logger,
        ...(flags.id ? { workerId: flags.id } : {}),
        ...(flags.concurrency ? { runConcurrency: flags.concurrency } : {}),
      });
      print(io.stdout, `Airlock worker ${running.workerId} running (database: ${running.database.location})`);
      await new Promise<void>((resolve) =>
        io.signal.aborted ? resolve() : io.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
      await running.stop();
    });
}
