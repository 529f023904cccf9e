import { readFile } from 'node:fs/promises';
import { AppError, abortedError } from '../../../kernel/index.js';
import { parseAuthEntry } from './auth-entry.js';
import type { Credential } from './credential.js';
import { findKey, isJsonObject, parseJsonText } from './json-text.js';
import { keyRank, registryFromKey, type KeyRule } from './registry-name.js';

/**
 * The two dialects of one format: Docker's `config.json` (keys reduced to their host,
 * `credsStore` as the default helper) and containers-auth.json(5) as used by podman, skopeo
 * and buildah (namespaced keys, no `credsStore`).
 */
export type AuthFileFormat = 'docker' | 'containers';

const KEY_RULES: Record<AuthFileFormat, KeyRule> = { docker: 'host', containers: 'registry-only' };

// Helper names become part of an executable name looked up on PATH; nothing path-like.
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

interface Entry {
  key: string;
  value: unknown;
}

/**
 * A parsed credentials file. Structure (`auths`, `credHelpers`, `credsStore`) is checked on
 * parsing; an `auths` entry is decoded when its registry is asked for, so one broken entry
 * does not hide the credentials of every other registry.
 */
export class AuthFile {
  private constructor(
    readonly path: string,
    readonly format: AuthFileFormat,
    private readonly entries: ReadonlyMap<string, Entry>,
    private readonly helpers: ReadonlyMap<string, string>,
    private readonly defaultHelper: string | undefined,
  ) {}

  static empty(path: string, format: AuthFileFormat): AuthFile {
    return new AuthFile(path, format, new Map(), new Map(), undefined);
  }

  /** Parses a file's text; an empty file is an empty configuration, as for Docker. */
  static parse(text: string, path: string, format: AuthFileFormat): AuthFile {
    if (text.trim() === '') return AuthFile.empty(path, format);
    const document = parseJsonText(text, path);
    if (!isJsonObject(document))
      throw new AppError('AUTH_CONFIG_INVALID', `${path} must contain a JSON object`);
    const rule = KEY_RULES[format];
    const entries = new Map<string, Entry>();
    for (const [key, value] of Object.entries(objectField(document, 'auths', path))) {
      const registry = registryFromKey(key, rule);
      const current = registry === undefined ? undefined : entries.get(registry);
      if (registry !== undefined && (!current || keyRank(key, registry) < keyRank(current.key, registry))) {
        entries.set(registry, { key, value });
      }
    }
    const helpers = new Map<string, string>();
    const helperRanks = new Map<string, number>();
    for (const [key, value] of Object.entries(objectField(document, 'credHelpers', path))) {
      const helper = helperName(value, `${path}: credHelpers[${JSON.stringify(key)}]`);
      const registry = registryFromKey(key, rule);
      if (registry === undefined || helper === undefined) continue;
      const rank = keyRank(key, registry);
      if (rank < (helperRanks.get(registry) ?? Infinity)) {
        helpers.set(registry, helper);
        helperRanks.set(registry, rank);
      }
    }
    const storeKey = findKey(document, 'credsStore');
    const store =
      format === 'docker' && storeKey !== undefined
        ? helperName(document[storeKey], `${path}: ${storeKey}`)
        : undefined;
    return new AuthFile(path, format, entries, helpers, store);
  }

  /** The registries that have an `auths` entry. */
  registries(): string[] {
    return [...this.entries.keys()];
  }

  /** The credential the `auths` entry for `registry` holds; throws when that entry is malformed. */
  credential(registry: string): Credential | undefined {
    const entry = this.entries.get(registry);
    if (!entry) return undefined;
    return parseAuthEntry(entry.value, `${this.path}: auths[${JSON.stringify(entry.key)}]`);
  }

  /**
   * The credential helper responsible for `registry`: its `credHelpers` entry, else the
   * default `credsStore` (docker/cli `getConfiguredCredentialStore`).
   */
  helperFor(registry: string): string | undefined {
    return this.helpers.get(registry) ?? this.defaultHelper;
  }
}

/**
 * Reads and parses a credentials file; a file that does not exist is no configuration
 * (undefined), an unreadable one is an error.
 */
export async function readAuthFile(
  path: string,
  format: AuthFileFormat,
  options: { signal?: AbortSignal } = {},
): Promise<AuthFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, { encoding: 'utf8', signal: options.signal });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (options.signal?.aborted) throw abortedError(options.signal);
    throw new AppError('AUTH_CONFIG_INVALID', `cannot read ${path}: ${code ?? (error as Error).message}`, {
      cause: error,
    });
  }
  return AuthFile.parse(text, path, format);
}

function objectField(document: Record<string, unknown>, name: string, path: string): Record<string, unknown> {
  const key = findKey(document, name);
  const value = key === undefined ? undefined : document[key];
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value))
    throw new AppError('AUTH_CONFIG_INVALID', `${path}: "${key}" must be a JSON object`);
  return value;
}

function helperName(value: unknown, where: string): string | undefined {
  if (value === '' || value === null || value === undefined) return undefined;
  if (typeof value !== 'string' || !HELPER_NAME.test(value)) {
    throw new AppError(
      'AUTH_CONFIG_INVALID',
      `${where} must be the name of a credential helper (the part after "docker-credential-"), e.g. "desktop" or "ecr-login"`,
    );
  }
  return value;
}
