import { chmod, mkdir, readFile, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError, abortedError } from '../../../kernel/index.js';
import { encodeAuthEntry } from './auth-entry.js';
import { AuthFile } from './auth-file.js';
import { writeFileAtomic } from './atomic-write.js';
import { airlockAuthPath, type LocateOptions } from './config-paths.js';
import type { Credential, CredentialProvider, GetCredentialOptions } from './credential.js';
import { findKey, isJsonObject, parseJsonText } from './json-text.js';
import { canonicalRegistry, parseRegistryName, registryFromKey } from './registry-name.js';

export interface CredentialFileStoreOptions extends LocateOptions {
  /** The file; default `$AIRLOCK_CONFIG_DIR/auth.json`, `$XDG_CONFIG_HOME/airlock/auth.json` or `~/.config/airlock/auth.json`. */
  path?: string;
}

/** Only the owner may read credentials. */
const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;

/**
 * Airlock's own credentials file, written by `airlock login` and `airlock logout`, in the
 * format of Docker's config.json (`{"auths": {"ghcr.io": {"auth": "<base64 user:password>"}}}`,
 * `identitytoken`/`registrytoken` for tokens) so that other tools can read it and it can be
 * copied from them. Top-level keys and entries Airlock does not manage are kept as they are.
 *
 * Every change rewrites the file atomically with mode 0600 (tightening a laxer existing
 * mode) in a directory created with mode 0700. Changes made through one instance are applied
 * one after another. Two processes changing the file at the same moment never corrupt it,
 * but each writes what it read plus its own change, so the last rename wins and the other
 * change can be lost; `login`/`logout` are interactive and rare, so no lock file is used.
 */
export class CredentialFileStore implements CredentialProvider {
  readonly path: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: CredentialFileStoreOptions = {}) {
    const path = options.path ?? airlockAuthPath(options);
    if (!path) {
      throw new AppError(
        'CONFIG_INVALID',
        "cannot locate Airlock's credentials file: set AIRLOCK_CONFIG_DIR, XDG_CONFIG_HOME or HOME",
      );
    }
    this.path = path;
  }

  /** Read on every call, so that a `login` in another process is seen at once. */
  async get(registry: string, options: GetCredentialOptions = {}): Promise<Credential | undefined> {
    return (await this.load(options.signal)).credential(canonicalRegistry(registry));
  }

  /** The registries with stored credentials, sorted. */
  async list(options: GetCredentialOptions = {}): Promise<string[]> {
    return (await this.load(options.signal)).registries().sort();
  }

  /** Stores `credential` for `registry`, replacing whatever was stored for it under any key form. */
  async save(registry: string, credential: Credential, options: GetCredentialOptions = {}): Promise<void> {
    const name = parseRegistryName(registry);
    const entry = encodeAuthEntry(credential);
    await this.exclusive(() =>
      this.update(options.signal, (auths) => {
        removeRegistry(auths, name);
        auths[name] = entry;
        return true;
      }),
    );
  }

  /** Forgets the credentials for `registry`; false when there were none. */
  async remove(registry: string, options: GetCredentialOptions = {}): Promise<boolean> {
    const name = parseRegistryName(registry);
    return this.exclusive(() => this.update(options.signal, (auths) => removeRegistry(auths, name)));
  }

  private async load(signal: AbortSignal | undefined): Promise<AuthFile> {
    const text = await readText(this.path, signal);
    return text === undefined
      ? AuthFile.empty(this.path, 'docker')
      : AuthFile.parse(text, this.path, 'docker');
  }

  private async update(
    signal: AbortSignal | undefined,
    change: (auths: Record<string, unknown>) => boolean,
  ): Promise<boolean> {
    // Write through a symbolic link (dotfile managers link these files) rather than replace it.
    const target = await realpath(this.path).catch(() => this.path);
    const document = await readDocument(target, signal);
    const authsKey = findKey(document, 'auths') ?? 'auths';
    const auths = document[authsKey] ?? {};
    if (!isJsonObject(auths)) {
      throw new AppError(
        'AUTH_CONFIG_INVALID',
        `${target}: "${authsKey}" must be a JSON object; fix or remove the file`,
      );
    }
    if (!change(auths)) return false;
    document[authsKey] = auths;
    await ensureDirectory(dirname(target));
    await writeFileAtomic(target, `${JSON.stringify(document, null, '\t')}\n`, { mode: FILE_MODE, signal });
    return true;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }
}

/** Deletes every key naming `registry`; true when there was one. */
function removeRegistry(auths: Record<string, unknown>, registry: string): boolean {
  let removed = false;
  for (const key of Object.keys(auths)) {
    if (registryFromKey(key, 'host') === registry) {
      delete auths[key];
      removed = true;
    }
  }
  return removed;
}

async function readDocument(path: string, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
  const text = await readText(path, signal);
  if (text === undefined || text.trim() === '') return {};
  const document = parseJsonText(text, path);
  if (!isJsonObject(document)) {
    throw new AppError('AUTH_CONFIG_INVALID', `${path} must contain a JSON object; fix or remove the file`);
  }
  return document;
}

async function readText(path: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  try {
    return await readFile(path, { encoding: 'utf8', signal });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (signal?.aborted) throw abortedError(signal);
    throw new AppError('AUTH_CONFIG_INVALID', `cannot read ${path}: ${code ?? (error as Error).message}`, {
      cause: error,
    });
  }
}

async function ensureDirectory(directory: string): Promise<void> {
  const created = await mkdir(directory, { recursive: true, mode: DIRECTORY_MODE });
  // mkdir's mode is filtered by the umask; the directory Airlock owns gets exactly 0700.
  if (created !== undefined) await chmod(directory, DIRECTORY_MODE);
}
