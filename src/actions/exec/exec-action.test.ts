import { readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TempDir, makeTempDir } from '../../../test/harness/index.js';
import { ActionFailure } from '../../engine/actions/contract.js';
import { createTestContext } from '../../engine/actions/testing/context.js';
import { AppError } from '../../kernel/index.js';
import { type ExecInput, MAX_STDOUT_BYTES, execAction } from './exec-action.js';

const SECRET = 'pa55-word-xyz';

let temp: TempDir;

beforeAll(async () => {
  temp = await makeTempDir('exec-action');
});
afterAll(() => temp?.remove());

/** Writes a Node.js script and returns the command that runs it. */
async function script(name: string, source: string): Promise<string[]> {
  const file = join(temp.path, `${name}.mjs`);
  await writeFile(file, source);
  return [process.execPath, file];
}

function exec(
  input: Record<string, unknown>,
  options: { index?: number; env?: Record<string, string> } = {},
) {
  const test = createTestContext({
    runId: 'run-1',
    stepId: 'custom',
    attempt: 2,
    secrets: { API_KEY: SECRET },
    ...options,
  });
  return { test, result: execAction.run(input as ExecInput, test.context) };
}

async function failureOf(input: Record<string, unknown>): Promise<ActionFailure> {
  const error = await exec(input).result.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ActionFailure);
  return error as ActionFailure;
}

/** Alive and not a zombie waiting for its reaper. */
async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.split(') ')[1]?.[0] !== 'Z';
}

async function waitUntilDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (!(await isAlive(pid))) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

it('passes JSON on stdin and returns the JSON of stdout, with env, secrets and the step identity', async () => {
  const command = await script(
    'echo',
    `let input = '';
     process.stdin.on('data', (c) => (input += c));
     process.stdin.on('end', () => {
       console.error('using key ' + process.env.API_KEY);
       console.error('second line');
       console.log(JSON.stringify({
         input: JSON.parse(input),
         mode: process.env.MODE,
         keyLength: process.env.API_KEY.length,
         step: [process.env.AIRLOCK_RUN_ID, process.env.AIRLOCK_STEP_ID, process.env.AIRLOCK_ATTEMPT, process.env.AIRLOCK_STEP_INDEX],
         leaked: process.env.WORKER_DATABASE_URL ?? null,
         hasPath: typeof process.env.PATH === 'string',
       }));
     });`,
  );
  process.env.WORKER_DATABASE_URL = 'postgres://airlock:secret@db/airlock';
  try {
    const { test, result } = exec(
      { command, input: { digest: 'sha256:abc', n: [1, 2] }, env: { MODE: 'strict' }, secrets: ['API_KEY'] },
      { index: 4 },
    );
    expect(await result).toEqual({
      input: { digest: 'sha256:abc', n: [1, 2] },
      mode: 'strict',
      keyLength: SECRET.length,
      step: ['run-1', 'custom', '2', '4'],
      leaked: null,
      hasPath: true,
    });
    const stderr = test.logs.filter((r) => r.stream === 'stderr').map((r) => r.msg);
    expect(stderr).toEqual(['using key ***', 'second line']);
    expect(test.logText()).not.toContain(SECRET);
    expect(test.logs.find((r) => r.msg === 'command ended')).toMatchObject({ exitCode: 0, run: 'run-1' });
  } finally {
    delete process.env.WORKER_DATABASE_URL;
  }
});

it("gives the command the workflow's and step's env, under the action's own env", async () => {
  const command = await script(
    'env',
    `console.log(JSON.stringify({ region: process.env.REGION, mode: process.env.MODE, id: process.env.AIRLOCK_RUN_ID }));`,
  );
  const { result } = exec(
    { command, env: { MODE: 'strict' } },
    { env: { REGION: 'eu-west-1', MODE: 'lenient', AIRLOCK_RUN_ID: 'forged' } },
  );
  expect(await result).toEqual({ region: 'eu-west-1', mode: 'strict', id: 'run-1' });
});

it('masks a secret the command echoes in its output', async () => {
  const command = await script(
    'leak',
    `console.log(JSON.stringify({ token: 'key is ' + process.env.API_KEY }));`,
  );
  const { test, result } = exec({ command, secrets: ['API_KEY'] });
  expect(await result).toEqual({ token: 'key is ***' });
  expect(test.messages()).toContain('the output contained a secret value; it is masked');
});

it('reads no output as empty outputs and runs in a fresh directory it removes afterwards', async () => {
  const command = await script(
    'cwd',
    `import { writeFileSync } from 'node:fs';
     writeFileSync('marker', 'x');
     console.error(process.cwd());`,
  );
  const { test, result } = exec({ command });
  expect(await result).toEqual({});
  const cwd = test.logs.find((r) => r.stream === 'stderr')!.msg;
  expect(cwd.startsWith(join(tmpdir(), 'airlock-exec-'))).toBe(true);
  await expect(readdir(cwd)).rejects.toThrow(/ENOENT/);
});

it('runs in the given working directory', async () => {
  const command = await script('pwd', `console.log(JSON.stringify(process.cwd()));`);
  expect(await exec({ command, workingDirectory: temp.path }).result).toBe(temp.path);
  const missing = await failureOf({ command, workingDirectory: join(temp.path, 'nope') });
  expect(missing.message).toMatch(/^workingDirectory: ".*nope" is not an existing directory$/);
});

it('maps exit code 1 to a retryable failure and 2 or others to permanent ones, saying why', async () => {
  const command = await script(
    'fail',
    `const code = Number(process.argv[2]);
     console.error('connecting to upstream');
     console.error('upstream said 503 for ' + process.env.API_KEY);
     if (code === 3) console.log(JSON.stringify({ error: 'quota exhausted' }));
     process.exit(code);`,
  );
  const one = await failureOf({ command: [...command, '1'], secrets: ['API_KEY'] });
  expect(one.retryable).toBe(true);
  expect(one.details).toMatchObject({ code: 'ACTION_COMMAND_FAILED', exitCode: 1 });
  expect(one.message).toBe(
    `${process.execPath} exited with 1 (retryable): connecting to upstream | upstream said 503 for ***`,
  );
  const two = await failureOf({ command: [...command, '2'] });
  expect(two.retryable).toBe(false);
  expect(two.message).toMatch(/exited with 2 \(permanent\)/);
  const three = await failureOf({ command: [...command, '3'] });
  expect(three.retryable).toBe(false);
  expect(three.message).toMatch(/exited with 3 \(permanent\): quota exhausted$/);
});

it('fails permanently when stdout is not JSON, naming its first bytes', async () => {
  const command = await script('text', `console.log('done: 3 images promoted');`);
  const failure = await failureOf({ command });
  expect(failure.retryable).toBe(false);
  expect(failure.details.code).toBe('ACTION_OUTPUT_INVALID');
  expect(failure.message).toMatch(/succeeded but its stdout is not JSON: done: 3 images promoted$/);
});

it('terminates a command whose stdout exceeds the limit', async () => {
  const command = await script(
    'flood',
    `const chunk = 'x'.repeat(64 * 1024);
     const write = () => { while (process.stdout.write(chunk)); process.stdout.once('drain', write); };
     write();`,
  );
  const failure = await failureOf({ command });
  expect(failure.details.code).toBe('ACTION_OUTPUT_TOO_LARGE');
  expect(failure.message).toContain(`more than ${MAX_STDOUT_BYTES} bytes`);
});

it('kills the command and what it started when it times out', async () => {
  const pids = join(temp.path, 'timeout-pids');
  const command = await script(
    'hang',
    `import { spawn } from 'node:child_process';
     import { writeFileSync } from 'node:fs';
     const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
     writeFileSync(${JSON.stringify(pids)}, JSON.stringify([process.pid, child.pid]));
     setInterval(() => {}, 1000);`,
  );
  const failure = await failureOf({ command, timeout: '1s' });
  expect(failure.retryable).toBe(true);
  expect(failure.details.code).toBe('ACTION_COMMAND_TIMEOUT');
  expect(failure.message).toMatch(/timed out after 1s and was terminated$/);
  const [main, child] = JSON.parse(await readFile(pids, 'utf8')) as number[];
  expect(await waitUntilDead(main!)).toBe(true);
  expect(await waitUntilDead(child!)).toBe(true);
});

it('kills the command on cancellation and hands the cancellation back to the engine', async () => {
  const pidFile = join(temp.path, 'cancel-pid');
  const command = await script(
    'wait',
    `import { writeFileSync } from 'node:fs';
     writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
     console.error('ready');
     setInterval(() => {}, 1000);`,
  );
  const { test, result } = exec({ command });
  for (let i = 0; i < 250 && !test.logs.some((r) => r.msg === 'ready'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  test.abort(new AppError('ABORTED', 'run cancelled by bob'));
  const error = await result.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).message).toBe('run cancelled by bob');
  expect(await waitUntilDead(Number(await readFile(pidFile, 'utf8')))).toBe(true);
});

it('does not wait for background processes a finished command left behind', async () => {
  const pidFile = join(temp.path, 'orphan-pid');
  const command = await script(
    'orphan',
    `import { spawn } from 'node:child_process';
     import { writeFileSync } from 'node:fs';
     const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'inherit', 'inherit'] });
     child.unref();
     writeFileSync(${JSON.stringify(pidFile)}, String(child.pid));
     console.log('{"ok":true}');`,
  );
  const started = Date.now();
  expect(await exec({ command }).result).toEqual({ ok: true });
  expect(Date.now() - started).toBeLessThan(4_000);
  expect(await waitUntilDead(Number(await readFile(pidFile, 'utf8')))).toBe(true);
});

it('fails permanently for a program that does not exist or a missing secret', async () => {
  const missing = await failureOf({ command: ['/nonexistent/tool', '--help'] });
  expect(missing.retryable).toBe(false);
  expect(missing.message).toBe(
    'cannot run /nonexistent/tool: ENOENT (not found: give an absolute path or a program on PATH)',
  );
  const secret = await failureOf({ command: ['true'], secrets: ['NOT_CONFIGURED'] });
  expect(secret.details.code).toBe('ACTION_SECRET_MISSING');
  await expect(exec({ command: ['true'], env: { AIRLOCK_RUN_ID: 'x' } }).result).rejects.toThrow(
    /env.AIRLOCK_RUN_ID: variables starting with AIRLOCK_ are set by Airlock/,
  );
  await expect(exec({ command: [] }).result).rejects.toThrow(/command: Too small/);
  await expect(exec({ command: ['true'], timeout: 'soon' }).result).rejects.toThrow(/timeout: /);
});
