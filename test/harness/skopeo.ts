import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, REDACTED, type AppErrorOptions } from '../../src/kernel/index.js';
import { onProcessExit } from './cleanup.js';

export interface SkopeoCredentials {
  username: string;
  password: string;
}

export interface SkopeoRunOptions {
  signal?: AbortSignal;
  /** Defaults to 120 s: generous for loopback copies, short enough to fail a hung test. */
  timeoutMs?: number;
  /**
   * Read and write cosign-style signatures as OCI attachments (`use-sigstore-attachments` in
   * registries.d), e.g. with `--sign-by-sigstore-private-key`. Off by default because it makes
   * skopeo look for `sha256-….sig` tags on every copy.
   */
  sigstoreAttachments?: boolean;
}

export interface SkopeoCopyOptions extends SkopeoRunOptions {
  srcCreds?: SkopeoCredentials;
  destCreds?: SkopeoCredentials;
  /** Copy every platform of an index (`--multi-arch all`); defaults to true. */
  all?: boolean;
  /** Fail rather than let skopeo change a manifest (`--preserve-digests`). */
  preserveDigests?: boolean;
  /** Manifest format to write (`--format`); the source's by default. */
  format?: 'oci' | 'v2s2';
  /** Further flags, placed before the image names. */
  extraArgs?: string[];
}

export interface SkopeoInspectOptions extends SkopeoRunOptions {
  creds?: SkopeoCredentials;
}

/** The fields of `skopeo inspect` output tests use (containers/image types.ImageInspectInfo). */
export interface SkopeoInspectResult {
  Name?: string;
  Digest: string;
  RepoTags: string[];
  Created?: string;
  Architecture: string;
  Os: string;
  Variant?: string;
  Layers: string[];
  Labels?: Record<string, string> | null;
  Env?: string[] | null;
}

/** A failed skopeo run; the message carries skopeo's stderr, the arguments have credentials masked. */
export class SkopeoError extends AppError {
  constructor(
    message: string,
    readonly args: string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    options: AppErrorOptions = {},
  ) {
    super('INTERNAL', message, { ...options, details: { args, exitCode, stderr: stderr.slice(0, 4_000) } });
  }
}

const TRANSPORTS = [
  'docker',
  'oci',
  'oci-archive',
  'dir',
  'docker-archive',
  'containers-storage',
  'docker-daemon',
];
const SECRET_FLAGS = new Set([
  '--src-creds',
  '--dest-creds',
  '--creds',
  '--src-registry-token',
  '--dest-registry-token',
]);
const DEFAULT_TIMEOUT_MS = 120_000;

/** `skopeo copy` with loopback defaults: plain HTTP to docker:// endpoints, isolated auth. */
export async function skopeoCopy(
  source: string,
  destination: string,
  options: SkopeoCopyOptions = {},
): Promise<void> {
  const src = withTransport(source);
  const dest = withTransport(destination);
  const args = ['copy', '--quiet'];
  if (options.all ?? true) args.push('--multi-arch', 'all');
  if (options.preserveDigests) args.push('--preserve-digests');
  if (options.format) args.push('--format', options.format);
  if (isDocker(src)) args.push('--src-tls-verify=false');
  if (isDocker(dest)) args.push('--dest-tls-verify=false');
  if (options.srcCreds) args.push('--src-creds', credentialsArg(options.srcCreds));
  if (options.destCreds) args.push('--dest-creds', credentialsArg(options.destCreds));
  args.push(...(options.extraArgs ?? []), src, dest);
  await runSkopeo(args, options);
}

/** The manifest exactly as the registry serves it (`skopeo inspect --raw`). */
export async function skopeoInspectRaw(
  reference: string,
  options: SkopeoInspectOptions = {},
): Promise<Buffer> {
  return runSkopeo(inspectArgs(reference, options, ['--raw']), options);
}

export async function skopeoInspect(
  reference: string,
  options: SkopeoInspectOptions = {},
): Promise<SkopeoInspectResult> {
  const output = await runSkopeo(inspectArgs(reference, options, []), options);
  return JSON.parse(output.toString('utf8')) as SkopeoInspectResult;
}

/** Tags of a repository, e.g. `127.0.0.1:5000/app` or `docker://127.0.0.1:5000/app`. */
export async function skopeoListTags(
  repository: string,
  options: SkopeoInspectOptions = {},
): Promise<string[]> {
  const ref = withTransport(repository);
  const args = [
    'list-tags',
    ...(isDocker(ref) ? ['--tls-verify=false'] : []),
    ...credsArgs(options.creds),
    ref,
  ];
  const output = await runSkopeo(args, options);
  return (JSON.parse(output.toString('utf8')) as { Tags: string[] | null }).Tags ?? [];
}

function inspectArgs(reference: string, options: SkopeoInspectOptions, extra: string[]): string[] {
  const ref = withTransport(reference);
  return [
    'inspect',
    ...extra,
    ...(isDocker(ref) ? ['--tls-verify=false'] : []),
    ...credsArgs(options.creds),
    ref,
  ];
}

function credsArgs(creds: SkopeoCredentials | undefined): string[] {
  return creds ? ['--creds', credentialsArg(creds)] : [];
}

function credentialsArg(creds: SkopeoCredentials): string {
  return `${creds.username}:${creds.password}`;
}

/** References without a transport are registry references, as on skopeo's own command line. */
function withTransport(reference: string): string {
  const colon = reference.indexOf(':');
  return colon > 0 && TRANSPORTS.includes(reference.slice(0, colon)) ? reference : `docker://${reference}`;
}

function isDocker(reference: string): boolean {
  return reference.startsWith('docker://');
}

/**
 * The command line and environment of a skopeo run with the harness's isolated
 * configuration, for callers that spawn it themselves (benchmarks measuring time and memory).
 */
export function skopeoInvocation(
  args: string[],
  options: SkopeoRunOptions = {},
): { args: string[]; env: NodeJS.ProcessEnv } {
  const env = skopeoEnvironment();
  return {
    args: [
      '--policy',
      env.policy,
      '--registries.d',
      options.sigstoreAttachments ? env.sigstoreRegistriesD : env.registriesD,
      ...args,
    ],
    env: env.variables,
  };
}

async function runSkopeo(args: string[], options: SkopeoRunOptions): Promise<Buffer> {
  const env = skopeoEnvironment();
  const fullArgs = skopeoInvocation(args, options).args;
  const shown = maskSecrets(args);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn('skopeo', fullArgs, {
      env: env.variables,
      signal: options.signal,
      timeout: timeoutMs,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) =>
      reject(
        new SkopeoError(`skopeo ${shown.join(' ')} could not run: ${error.message}`, shown, null, '', {
          cause: error,
        }),
      ),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(stdout));
      const text = Buffer.concat(stderr).toString('utf8').trim();
      const why = signal
        ? `was killed by ${signal}${signal === 'SIGTERM' ? ` (time-out ${timeoutMs} ms or cancelled)` : ''}`
        : `exited with ${code}`;
      reject(new SkopeoError(`skopeo ${shown.join(' ')} ${why}: ${text}`, shown, code, text));
    });
  });
}

function maskSecrets(args: string[]): string[] {
  return args.map((arg, i) => (i > 0 && SECRET_FLAGS.has(args[i - 1]!) ? REDACTED : arg));
}

interface SkopeoEnvironment {
  policy: string;
  registriesD: string;
  sigstoreRegistriesD: string;
  variables: NodeJS.ProcessEnv;
}

let environment: SkopeoEnvironment | undefined;

/**
 * Configuration of our own for every run, made once per process: an empty auth file (so the
 * developer's real credentials never reach a test registry and tests never write to them), an
 * accept-anything signature policy, empty registries.conf and registries.d (no mirrors,
 * aliases or lookaside stores from the machine).
 */
function skopeoEnvironment(): SkopeoEnvironment {
  if (environment) return environment;
  const dir = mkdtempSync(join(tmpdir(), 'airlock-skopeo-'));
  onProcessExit(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string): string => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const authFile = file('auth.json', '{"auths":{}}\n');
  const policy = file('policy.json', '{"default":[{"type":"insecureAcceptAnything"}]}\n');
  const registriesConf = file('registries.conf', 'unqualified-search-registries = []\n');
  mkdirSync(join(dir, 'registries.d'));
  mkdirSync(join(dir, 'sigstore-registries.d'));
  file('sigstore-registries.d/default.yaml', 'default-docker:\n  use-sigstore-attachments: true\n');
  environment = {
    policy,
    registriesD: join(dir, 'registries.d'),
    sigstoreRegistriesD: join(dir, 'sigstore-registries.d'),
    variables: {
      ...process.env,
      REGISTRY_AUTH_FILE: authFile,
      CONTAINERS_REGISTRIES_CONF: registriesConf,
      DOCKER_CONFIG: dir,
    },
  };
  return environment;
}
