import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface Measured {
  ms: number;
  /** Peak resident set size in MiB (VmHWM), when the platform reports it. */
  peakRssMiB?: number;
  stdout: string;
}

/**
 * Runs a command to completion, measuring wall time and peak RSS (polling
 * `/proc/<pid>/status` VmHWM, which only grows, so the last reading is the peak).
 */
export async function measure(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Measured> {
  const started = performance.now();
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  let peak: number | undefined;
  const poll = setInterval(() => {
    void readFile(`/proc/${child.pid}/status`, 'utf8')
      .then((status) => {
        const match = /VmHWM:\s+(\d+) kB/.exec(status);
        if (match) peak = Math.max(peak ?? 0, Number(match[1]) / 1024);
      })
      .catch(() => {});
  }, 25);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  const ms = performance.now() - started;
  if (code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${code}: ${Buffer.concat(err).toString('utf8').slice(-2000)}`,
    );
  }
  return { ms, peakRssMiB: peak, stdout: Buffer.concat(out).toString('utf8') };
}

export function ratio(ours: number, theirs: number): string {
  return `${(ours / theirs).toFixed(2)}×`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A fixed-width table for benchmark output. */
export function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}
