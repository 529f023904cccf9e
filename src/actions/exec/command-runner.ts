import { delimiter, join } from 'node:path';
import { accessSync, constants, existsSync } from 'node:fs';
import { type ChildProcess, spawn } from 'node:child_process';

export interface RunCommandOptions {
  /** argv; no shell is involved. */
  command: readonly string[];
  cwd: string;
  /** The whole environment of the command (nothing is inherited implicitly). */
  env: Record<string, string>;
  stdin: Uint8Array;
  /** Cancellation: the command's process group is terminated. */
  signal: AbortSignal;
  timeoutMs?: number;
  /** More stdout than this terminates the command. */
  maxStdoutBytes: number;
  /** Between SIGTERM and SIGKILL. */
  killGraceMs: number;
  onStderrLine(line: string): void;
}

/** Why the command stopped: it exited by itself, or we terminated it for one of these reasons. */
export type CommandEnding = 'exited' | 'timeout' | 'aborted' | 'stdout-limit';

export interface CommandResult {
  ending: CommandEnding;
  exitCode: number | null;
  /** The signal that killed the command's main process, if one did. */
  exitSignal: NodeJS.Signals | null;
  stdout: Buffer;
  durationMs: number;
}

/** The command could not be started at all (not found, not executable). */
export class CommandStartError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CommandStartError';
  }
}

/** A longer stderr line is cut here: one runaway line must not swallow the step log. */
export const MAX_STDERR_LINE_CHARS = 8 * 1024;

/**
 * Runs a command in its own process group (so that cancellation, a time-out or an overlong
 * output terminate it with everything it started: SIGTERM, then SIGKILL after a grace
 * period), with JSON on stdin, stdout collected up to a bound and stderr delivered line by
 * line. Processes the command leaves running after it exits are killed with the group.
 */
export function runCommand(options: RunCommandOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const wrapper = dieWithParent();
    if (wrapper.length > 0) {
      // Through the wrapper, a missing program would look like the wrapper's own failure (exit 127).
      const problem = programProblem(options.command[0]!, options.env.PATH ?? '');
      if (problem) {
        reject(new CommandStartError(problem, `spawn ${options.command[0]} ${problem}`));
        return;
      }
    }
    const argv = [...wrapper, ...options.command];
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const group = new ProcessGroup(child, options.killGraceMs);
    let ending: CommandEnding = 'exited';
    const stop = (reason: CommandEnding) => {
      if (ending === 'exited') ending = reason;
      group.terminate();
    };
    const stdout = collectStdout(child, options.maxStdoutBytes, () => stop('stdout-limit'));
    const stderr = lineSplitter(options.onStderrLine);
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin!.on('error', () => {}); // a command that does not read its input closes the pipe early
    child.stdin!.end(options.stdin);
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('aborted');
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (options.signal.aborted) onAbort();
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let closeTimer: NodeJS.Timeout | undefined;
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      group.reapStragglers();
      // A descendant that left the group (setsid) may hold the pipes open: stop waiting for it.
      closeTimer = setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
      }, options.killGraceMs);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // errors after a start are reported by 'exit'/'close'
      cleanup();
      reject(new CommandStartError(error.code, error.message, { cause: error }));
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      stderr.flush();
      resolve({
        ending,
        exitCode: exit?.code ?? code,
        exitSignal: exit?.signal ?? signal,
        stdout: stdout.bytes(),
        durationMs: Math.round(performance.now() - started),
      });
    });
    function cleanup() {
      if (timer) clearTimeout(timer);
      if (closeTimer) clearTimeout(closeTimer);
      options.signal.removeEventListener('abort', onAbort);
      group.dispose();
    }
  });
}

/** Signals sent to the whole process group the command leads. */
class ProcessGroup {
  private graceTimer: NodeJS.Timeout | undefined;
  private terminating = false;

  constructor(
    private readonly child: ChildProcess,
    private readonly graceMs: number,
  ) {}

  terminate(): void {
    if (this.terminating) return;
    this.terminating = true;
    this.send('SIGTERM');
    this.graceTimer = setTimeout(() => this.send('SIGKILL'), this.graceMs);
  }

  /** After the main process exited: whatever it left behind in its group goes too. */
  reapStragglers(): void {
    this.send('SIGKILL');
  }

  dispose(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
  }

  private send(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }
}

function collectStdout(child: ChildProcess, max: number, onOverflow: () => void): { bytes(): Buffer } {
  const chunks: Buffer[] = [];
  let size = 0;
  let overflowed = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (overflowed) return;
    size += chunk.length;
    if (size > max) {
      overflowed = true;
      onOverflow();
      return;
    }
    chunks.push(chunk);
  });
  return { bytes: () => Buffer.concat(chunks) };
}

/**
 * Splits a byte stream into lines (LF or CRLF), decoding UTF-8 across chunks. A line longer
 * than the limit is delivered cut, and the rest of it (up to its newline) is dropped.
 */
function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; flush(): void } {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let skipping = false;
  const emit = (line: string) => {
    if (skipping) {
      skipping = false;
      return;
    }
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    onLine(
      text.length > MAX_STDERR_LINE_CHARS ? `${text.slice(0, MAX_STDERR_LINE_CHARS)}… (line cut)` : text,
    );
  };
  return {
    push(chunk) {
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        emit(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
      if (pending.length > MAX_STDERR_LINE_CHARS) {
        if (!skipping) onLine(`${pending.slice(0, MAX_STDERR_LINE_CHARS)}… (line cut)`);
        skipping = true;
        pending = '';
      }
    },
    flush() {
      pending += decoder.decode();
      if (pending !== '' || skipping) emit(pending);
      pending = '';
    },
  };
}

let deathWrapper: string[] | undefined;

/**
 * On Linux, commands are started through util-linux `setpriv --pdeathsig KILL`, so that a
 * worker that dies (killed, out of memory) takes its commands with it instead of leaving them
 * running while its run resumes elsewhere. Elsewhere, or without setpriv, commands start as they are.
 */
function dieWithParent(): string[] {
  if (deathWrapper === undefined) {
    const onPath = (process.env.PATH ?? '')
      .split(delimiter)
      .some((dir) => dir !== '' && existsSync(join(dir, 'setpriv')));
    deathWrapper = process.platform === 'linux' && onPath ? ['setpriv', '--pdeathsig', 'KILL', '--'] : [];
  }
  return deathWrapper;
}

/** ENOENT or EACCES when `program` (a path, or a name looked up on `path`) cannot be executed. */
function programProblem(program: string, path: string): 'ENOENT' | 'EACCES' | undefined {
  const candidates = program.includes('/')
    ? [program]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, program));
  let found = false;
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    found = true;
    try {
      accessSync(candidate, constants.X_OK);
      return undefined;
    } catch {
      // Not executable: look further along PATH.
    }
  }
  return found ? 'EACCES' : 'ENOENT';
}
