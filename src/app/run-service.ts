import { readInputFile } from './read-input.js';
import { basename } from 'node:path';
import { AppError } from '../kernel/index.js';
import type { Actor, LogLine, RunDetail } from '../engine/service.js';
import type { RunningEngine } from './engine.js';

export interface RunFileOptions {
  inputs: Record<string, string>;
  actor: Actor;
  signal: AbortSignal;
  onLog: (line: LogLine) => void;
  onStatus?: (status: string) => void;
}

/**
 * `airlock run FILE`: applies the workflow file (a new version only if its text changed),
 * starts a run, streams its log lines, and returns the finished run.
 */
export async function runWorkflowFile(
  engine: RunningEngine['engine'],
  file: string,
  options: RunFileOptions,
): Promise<RunDetail> {
  const source = await readInputFile(file);
  const { version } = await engine.applyWorkflow(source, { file: basename(file), actor: options.actor });
  const run = await engine.startRun(version.name, {
    version: version.version,
    inputs: options.inputs,
    actor: options.actor,
    trigger: { type: 'manual', event: { file: basename(file) } },
  });
  options.onStatus?.(run.status);
  for await (const line of engine.followLogs(run.id, { signal: options.signal })) options.onLog(line);
  if (options.signal.aborted) {
    await engine.cancelRun(run.id, options.actor).catch(() => undefined);
  }
  const finished = await engine.getRun(run.id);
  if (!finished) throw new AppError('ENGINE_RUN_NOT_FOUND', `run ${run.id} disappeared`);
  return finished;
}
