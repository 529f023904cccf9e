import { expect, it } from 'vitest';
import { MAX_STDERR_LINE_CHARS, type RunCommandOptions, runCommand } from './command-runner.js';

function options(
  source: string,
  extra: Partial<RunCommandOptions> = {},
): RunCommandOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    command: [process.execPath, '-e', source],
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '' },
    stdin: Buffer.from('null'),
    signal: new AbortController().signal,
    maxStdoutBytes: 1024,
    killGraceMs: 200,
    onStderrLine: (line) => lines.push(line),
    lines,
    ...extra,
  };
}

it('escalates to SIGKILL when the command ignores SIGTERM', async () => {
  const run = options(
    `process.on('SIGTERM', () => console.error('ignoring SIGTERM'));
     console.error('started');
     setInterval(() => {}, 1000);`,
    { timeoutMs: 300 },
  );
  const started = performance.now();
  const result = await runCommand(run);
  expect(result.ending).toBe('timeout');
  expect(result.exitSignal).toBe('SIGKILL');
  expect(run.lines).toEqual(['started', 'ignoring SIGTERM']);
  expect(performance.now() - started).toBeGreaterThanOrEqual(450);
});

it('splits stderr into lines across chunks, CRLF and multi-byte characters included, and cuts overlong lines', async () => {
  const run = options(
    `const bytes = Buffer.from('größe\\r\\nzweite Zeile\\n€ am Ende');
     let i = 0;
     const next = () => {
       if (i >= bytes.length) {
         process.stderr.write('\\n' + 'y'.repeat(${MAX_STDERR_LINE_CHARS + 10}), () =>
           process.stderr.write('y'.repeat(5000) + '\\n' + 'z'.repeat(${MAX_STDERR_LINE_CHARS + 1}) + '\\nlast'));
         return;
       }
       process.stderr.write(bytes.subarray(i, i + 1), next);
       i += 1;
     };
     next();`,
  );
  const result = await runCommand(run);
  expect(result.exitCode).toBe(0);
  expect(run.lines.slice(0, 3)).toEqual(['größe', 'zweite Zeile', '€ am Ende']);
  expect(run.lines[3]).toBe(`${'y'.repeat(MAX_STDERR_LINE_CHARS)}… (line cut)`);
  expect(run.lines.slice(4)).toEqual([`${'z'.repeat(MAX_STDERR_LINE_CHARS)}… (line cut)`, 'last']);
});

it('gives a command that does not read stdin its exit, not a broken pipe', async () => {
  const run = options(`process.stdout.write('{"a":1}')`, { stdin: Buffer.alloc(4 * 1024 * 1024, 0x20) });
  const result = await runCommand(run);
  expect(result.exitCode).toBe(0);
  expect(result.stdout.toString()).toBe('{"a":1}');
});
