/**
 * Workflow engine throughput: 1,000 runs of a three-step no-op workflow through the engine
 * (durable DBOS workflows on the embedded Postgres, one in-process worker), measuring runs per
 * second and step dispatch latency — the time from one step finishing to the next starting.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { Benchmark } from './run.js';
import { printTable } from './support/measure.js';
import { startEngine } from '../src/app/engine.js';
import type { ActionDefinition } from '../src/engine/actions/contract.js';
import { createLogger } from '../src/kernel/index.js';

const RUNS = 1000;
const STARTERS = 8;

const noop: ActionDefinition<Record<string, unknown>, Record<string, unknown>> = {
  name: 'bench/noop',
  version: 'v1',
  description: 'does nothing',
  input: z.record(z.string(), z.unknown()),
  output: z.record(z.string(), z.unknown()),
  run: async () => ({}),
};

const WORKFLOW = `apiVersion: airlock.dev/v1
kind: Workflow
name: noop3
steps:
  - { id: a, uses: bench/noop@v1 }
  - { id: b, uses: bench/noop@v1, needs: a }
  - { id: c, uses: bench/noop@v1, needs: b }
`;

const benchmark: Benchmark = {
  name: `engine: ${RUNS} runs of a three-step no-op workflow (embedded Postgres, one worker)`,
  async run() {
    const dataDir = await mkdtemp(join(tmpdir(), 'airlock-bench-engine-'));
    const env = { HOME: dataDir };
    const running = await startEngine({
      dataDir,
      env,
      logger: createLogger({ level: 'warn' }),
      extraActions: [noop as unknown as ActionDefinition<never, unknown>],
      runConcurrency: Number(process.env.BENCH_RUN_CONCURRENCY ?? 16),
      queuePollingMs: 50,
    });
    try {
      const actor = { subject: 'user:bench', roles: ['admin' as const] };
      await running.engine.applyWorkflow(WORKFLOW, { actor });
      const started = performance.now();
      // Runs are started by several API clients at once, as a server sees them.
      const ids: string[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: STARTERS }, async () => {
          while (next < RUNS) {
            next++;
            ids.push((await running.engine.startRun('noop3', { actor })).id);
          }
        }),
      );
      const enqueued = performance.now();
      for (;;) {
        const left = await running.engine.listRuns({ workflow: 'noop3', status: 'queued', limit: 1 });
        const active = await running.engine.listRuns({ workflow: 'noop3', status: 'running', limit: 1 });
        if (left.length === 0 && active.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const finished = performance.now();
      const dispatch: number[] = [];
      const startDelay: number[] = [];
      let succeeded = 0;
      for (const id of ids) {
        const run = (await running.engine.getRun(id))!;
        if (run.status === 'succeeded') succeeded++;
        startDelay.push(Date.parse(run.startedAt!) - Date.parse(run.createdAt));
        const byId = new Map(run.steps.map((s) => [s.stepId, s]));
        for (const [from, to] of [
          ['a', 'b'],
          ['b', 'c'],
        ] as const) {
          dispatch.push(Date.parse(byId.get(to)!.startedAt!) - Date.parse(byId.get(from)!.finishedAt!));
        }
      }
      const seconds = (finished - started) / 1000;
      printTable([
        ['measure', 'airlock', 'target', 'peer (Custos)'],
        ['runs succeeded', `${succeeded}/${RUNS}`, `${RUNS}/${RUNS}`, ''],
        ['throughput (runs/s)', (RUNS / seconds).toFixed(1), '≥ 50', '10K runs/day ≈ 0.12'],
        [`starting ${RUNS} runs (${STARTERS} clients)`, `${(enqueued - started).toFixed(0)} ms`, '', ''],
        ['step dispatch p50', `${percentile(dispatch, 50)} ms`, '', ''],
        ['step dispatch p95', `${percentile(dispatch, 95)} ms`, '< 50 ms', '< 1 s'],
        [
          'queue → run start p50 / p95',
          `${percentile(startDelay, 50)} / ${percentile(startDelay, 95)} ms`,
          '',
          '',
        ],
      ]);
    } finally {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
export default benchmark;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
