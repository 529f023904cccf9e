import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { ActionContext, ActionDefinition } from '../../engine/actions/contract.js';
import { abortedError } from '../../kernel/index.js';
import { durationField, durationMs } from '../support/duration.js';
import { defineAction } from '../support/define-action.js';
import { actionFailure, invalidInput } from '../support/failure.js';
import { excerptOf, maskSecrets, maskSecretsInValue } from '../support/secrets.js';
import { type CommandResult, CommandStartError, runCommand } from './command-runner.js';
import { commandEnvironment } from './environment.js';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

export const ExecInput = z.strictObject({
  command: z
    .array(z.string())
    .min(1)
    .refine((argv) => argv[0] !== '', 'the program must not be empty')
    .describe('program and arguments; no shell is involved (use ["sh", "-c", "…"] for one)'),
  input: z.unknown().optional().describe('sent to the command as JSON on stdin (null when absent)'),
  env: z.record(envName, z.string()).default({}).describe('environment variables for the command'),
  secrets: z
    .array(envName)
    .default([])
    .describe('secrets exposed to the command as variables of the same name'),
  workingDirectory: z
    .string()
    .min(1)
    .optional()
    .describe('an existing directory; by default a fresh temporary one, removed afterwards'),
  timeout: durationField
    .optional()
    .describe('terminate the command after this long (30s, 5m, or milliseconds)'),
});
export type ExecInput = z.infer<typeof ExecInput>;

/** The JSON the command printed on stdout is the step's outputs; no output at all is `{}`. */
export const ExecOutput = z.unknown();
export type ExecOutput = unknown;

/** 1 MiB: outputs are stored with the run; a command with more to say writes a file and returns its path. */
export const MAX_STDOUT_BYTES = 1024 * 1024;
/** A command's stderr beyond this is not copied into the step log (it is still drained). */
export const MAX_LOGGED_STDERR_BYTES = 1024 * 1024;
/** Time a terminated command gets to clean up between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 5_000;
/** Last stderr lines quoted when the command fails. */
const STDERR_TAIL_LINES = 5;

/**
 * `exec@v1`: a user-extensible action run as a command. JSON in on stdin, JSON out on stdout;
 * exit code 0 is success, 1 a failure worth retrying, 2 (and any other) a permanent failure.
 * stderr lines go to the step log with the command's secrets masked. The command runs in
 * its own process group, with a short allow-listed environment, and is terminated with
 * everything it started on cancellation or time-out.
 */
export const execAction: ActionDefinition<ExecInput, ExecOutput> = defineAction({
  name: 'exec',
  version: 'v1',
  description: 'Run a command: JSON input on stdin, JSON result on stdout; exit 1 retries, exit 2 fails.',
  input: ExecInput,
  output: ExecOutput,
  run: runExec,
});

async function runExec(input: ExecInput, context: ActionContext): Promise<ExecOutput> {
  const { env, secrets } = commandEnvironment(context, input.env, input.secrets);
  const workspace = await workingDirectory(input.workingDirectory);
  const program = input.command[0]!;
  const timeoutMs = input.timeout === undefined ? undefined : durationMs(input.timeout);
  const stderr = stderrLog(context, secrets);
  context.logger.info({ command: program, args: input.command.length - 1, timeoutMs }, 'command started');
  let result: CommandResult;
  try {
    result = await runCommand({
      command: input.command,
      cwd: workspace.path,
      env,
      stdin: Buffer.from(JSON.stringify(input.input ?? null), 'utf8'),
      signal: context.signal,
      maxStdoutBytes: MAX_STDOUT_BYTES,
      killGraceMs: KILL_GRACE_MS,
      onStderrLine: stderr.line,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  } catch (error) {
    if (error instanceof CommandStartError) throw startFailure(program, error);
    throw error;
  } finally {
    await workspace.release();
  }
  context.logger.info(
    { command: program, exitCode: result.exitCode, signal: result.exitSignal, durationMs: result.durationMs },
    'command ended',
  );
  const timeout = typeof input.timeout === 'string' ? input.timeout : `${timeoutMs} ms`;
  const output = outcomeOf(result, {
    program,
    timeout,
    secrets,
    tail: stderr.tail(),
    signal: context.signal,
  });
  const masked = maskSecretsInValue(output, secrets);
  if (masked.masked)
    context.logger.warn({ command: program }, 'the output contained a secret value; it is masked');
  return masked.value;
}

interface OutcomeContext {
  program: string;
  /** The time-out as the workflow wrote it. */
  timeout: string;
  secrets: string[];
  tail: string[];
  signal: AbortSignal;
}

function outcomeOf(result: CommandResult, at: OutcomeContext): unknown {
  const { program } = at;
  switch (result.ending) {
    case 'aborted':
      throw abortedError(at.signal);
    case 'timeout':
      throw actionFailure(
        'ACTION_COMMAND_TIMEOUT',
        `${program} timed out after ${at.timeout} and was terminated`,
        {
          details: { timeout: at.timeout },
        },
      );
    case 'stdout-limit':
      throw actionFailure(
        'ACTION_OUTPUT_TOO_LARGE',
        `${program} wrote more than ${MAX_STDOUT_BYTES} bytes to stdout and was terminated; write large results to a file and print its path`,
        { details: { limit: MAX_STDOUT_BYTES } },
      );
    case 'exited':
      break;
  }
  if (result.exitCode === 0) return parseStdout(result.stdout, at);
  const reason = reasonOf(result.stdout, at);
  if (result.exitCode === null) {
    throw actionFailure('ACTION_COMMAND_FAILED', `${program} was killed by ${result.exitSignal}${reason}`, {
      details: { signal: result.exitSignal },
    });
  }
  const retryable = result.exitCode === 1;
  const kind = retryable ? 'retryable' : 'permanent';
  throw actionFailure(
    'ACTION_COMMAND_FAILED',
    `${program} exited with ${result.exitCode} (${kind})${reason}`,
    {
      details: { exitCode: result.exitCode },
      retryable,
    },
  );
}

function parseStdout(stdout: Buffer, at: OutcomeContext): unknown {
  const text = stdout.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw actionFailure(
      'ACTION_OUTPUT_INVALID',
      `${at.program} succeeded but its stdout is not JSON: ${excerptOf(stdout, at.secrets)}`,
      { details: { bytes: stdout.length } },
    );
  }
}

/** Why the command failed, in its own words: `{"error": "…"}` on stdout, else its last stderr lines. */
function reasonOf(stdout: Buffer, at: OutcomeContext): string {
  try {
    const parsed = JSON.parse(stdout.toString('utf8')) as { error?: unknown };
    if (typeof parsed?.error === 'string' && parsed.error !== '')
      return `: ${maskSecrets(parsed.error, at.secrets)}`;
  } catch {
    // not JSON: fall back to stderr
  }
  return at.tail.length === 0 ? '' : `: ${at.tail.join(' | ')}`;
}

function startFailure(program: string, error: CommandStartError) {
  const hint =
    error.code === 'ENOENT'
      ? ' (not found: give an absolute path or a program on PATH)'
      : error.code === 'EACCES'
        ? ' (not executable)'
        : '';
  return actionFailure(
    'ACTION_COMMAND_FAILED',
    `cannot run ${program}: ${error.code ?? error.message}${hint}`,
    {
      details: { cause: error.code ?? null },
      cause: error,
    },
  );
}

/** stderr into the step log (masked, bounded), keeping the last lines for a failure message. */
function stderrLog(context: ActionContext, secrets: readonly string[]) {
  const tail: string[] = [];
  let logged = 0;
  let truncated = false;
  return {
    line(raw: string) {
      const line = maskSecrets(raw, secrets);
      tail.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
      if (tail.length > STDERR_TAIL_LINES) tail.shift();
      logged += line.length + 1;
      if (logged <= MAX_LOGGED_STDERR_BYTES) context.logger.info({ stream: 'stderr' }, line);
      else if (!truncated) {
        truncated = true;
        context.logger.warn(
          { stream: 'stderr', limit: MAX_LOGGED_STDERR_BYTES },
          'stderr beyond the limit is not logged',
        );
      }
    },
    tail: () => tail.filter((line) => line.trim() !== ''),
  };
}

async function workingDirectory(
  given: string | undefined,
): Promise<{ path: string; release(): Promise<void> }> {
  if (given !== undefined) {
    const info = await stat(given).catch(() => undefined);
    if (!info?.isDirectory()) throw invalidInput(`workingDirectory: "${given}" is not an existing directory`);
    return { path: given, release: async () => {} };
  }
  const path = await mkdtemp(join(tmpdir(), 'airlock-exec-'));
  return { path, release: () => rm(path, { recursive: true, force: true }) };
}
