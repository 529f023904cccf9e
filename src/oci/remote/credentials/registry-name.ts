import { AppError } from '../../../kernel/index.js';

/** The canonical name of Docker Hub; its other host names are aliases. */
export const DOCKER_HUB = 'docker.io';

/**
 * The key Docker has always used for Docker Hub in `config.json` and when asking credential
 * helpers (docker/cli `registry.IndexServer`).
 */
export const DOCKER_HUB_LEGACY_KEY = 'https://index.docker.io/v1/';

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/**
 * Server URLs credential helpers may hold Docker Hub credentials under, most likely first:
 * Docker's own key, then the host names `podman login`, `oras login` and hand-written
 * configurations use.
 */
const DOCKER_HUB_HELPER_KEYS = [
  DOCKER_HUB_LEGACY_KEY,
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
];

// distribution/reference grammar: domain components separated by dots, or a bracketed IPv6
// address, with an optional port.
const HOST =
  /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::\d{1,5})?$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
// Paths that only say "the registry API", as in `https://index.docker.io/v1/` or `host/v2/`.
const API_PATH = /^\/(?:v[12]\/?)?$/;

/**
 * Lowercases a registry host and maps Docker Hub's aliases to `docker.io`; ports are kept.
 */
// TODO(lead): use oci/ref canonicalRegistry
export function canonicalRegistry(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/**
 * How a key of an `auths` or `credHelpers` map names a registry.
 * - `host`: Docker's rule (docker/cli `credentials.ConvertToHostname`): drop the scheme and
 *   everything from the first `/`, so `registry.example.com/v2/` is `registry.example.com`.
 * - `registry-only`: containers-auth.json(5): keys with a scheme are legacy URLs reduced to
 *   their host; keys without one are `registry` or `registry/namespace`, and a namespaced
 *   key only applies to some repositories, so it names no registry-wide credential.
 */
export type KeyRule = 'host' | 'registry-only';

/** The canonical registry a configuration key names, or undefined when it names none. */
export function registryFromKey(key: string, rule: KeyRule): string | undefined {
  const trimmed = key.trim();
  const scheme = SCHEME.exec(trimmed);
  const rest = scheme ? trimmed.slice(scheme[0].length) : trimmed;
  const slash = rest.indexOf('/');
  if (slash >= 0 && rule === 'registry-only' && !scheme) return undefined;
  const host = (slash >= 0 ? rest.slice(0, slash) : rest).toLowerCase();
  return HOST.test(host) ? canonicalRegistry(host) : undefined;
}

/**
 * Parses a registry named by a user (`airlock login <registry>`): a host with an optional
 * port, optionally written as Docker writes it (`https://index.docker.io/v1/`). Paths
 * beyond the API root are refused rather than silently widened to the whole registry.
 */
export function parseRegistryName(input: string): string {
  const trimmed = input.trim();
  const scheme = /^https?:\/\//i.exec(trimmed);
  const rest = scheme ? trimmed.slice(scheme[0].length) : trimmed;
  const slash = rest.indexOf('/');
  const host = (slash >= 0 ? rest.slice(0, slash) : rest).toLowerCase();
  const path = slash >= 0 ? rest.slice(slash) : '';
  if (!HOST.test(host) || (path !== '' && !API_PATH.test(path))) {
    throw new AppError(
      'USAGE_INVALID',
      `${JSON.stringify(input)} is not a registry name: expected a host with an optional port, e.g. ghcr.io or localhost:5000 (credentials are stored per registry, not per repository)`,
    );
  }
  return canonicalRegistry(host);
}

/**
 * How well a key that names `registry` matches the key Docker itself would look up: lower
 * is better. Used when several keys of one file name the same registry.
 */
export function keyRank(key: string, registry: string): number {
  const preferred = registry === DOCKER_HUB ? DOCKER_HUB_LEGACY_KEY : registry;
  if (key === preferred) return 0;
  return key.toLowerCase() === registry ? 1 : 2;
}

/** The server URLs to ask a credential helper for, in order. */
export function helperServerUrls(registry: string): readonly string[] {
  return registry === DOCKER_HUB ? DOCKER_HUB_HELPER_KEYS : [registry];
}
