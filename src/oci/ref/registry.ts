import { isIPv4, isIPv6 } from 'node:net';
import { DOMAIN_COMPONENT_PATTERN } from './grammar.js';

/** The canonical name of Docker Hub, as Docker and containerd write it in normalised references. */
export const DOCKER_HUB = 'docker.io';

/** Where Docker Hub's registry API answers; `docker.io` itself only redirects browsers. */
const DOCKER_HUB_ENDPOINT = 'registry-1.docker.io';

/** Names users and older tools write for Docker Hub; all are one registry. */
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', DOCKER_HUB_ENDPOINT]);

/**
 * The name under which a registry is known everywhere in Airlock (credentials, rate limits,
 * references): lowercase, with Docker Hub's aliases folded into `docker.io`.
 */
export function canonicalRegistry(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/** The network host (and port) to send registry API requests to for a canonical registry name. */
export function registryEndpoint(registry: string): string {
  return canonicalRegistry(registry) === DOCKER_HUB ? DOCKER_HUB_ENDPOINT : registry;
}

// IPv4-mapped IPv6 loopback, ::ffff:127.x.y.z, in the hex form the WHATWG URL parser produces.
const MAPPED_IPV4_LOOPBACK = /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/;

/**
 * Whether a registry (`host[:port]`) is on this machine: `localhost`, 127.0.0.0/8 or ::1.
 * Like Docker, Airlock allows plain HTTP to such registries without configuration. The host
 * is read with the WHATWG URL parser — the one the HTTP client uses — so that spellings
 * such as `127.1` or `[0:0::1]` are judged by the address that would actually be dialled.
 */
export function isLoopbackRegistry(registry: string): boolean {
  if (registry === '' || /[\s/@?#\\]/.test(registry)) return false;
  const authority = isIPv6(registry) ? `[${registry}]` : registry;
  let hostname: string;
  try {
    hostname = new URL(`http://${authority}`).hostname;
  } catch {
    return false;
  }
  if (hostname === 'localhost') return true;
  if (hostname.startsWith('[')) {
    const address = hostname.slice(1, -1);
    return address === '::1' || MAPPED_IPV4_LOOPBACK.test(address);
  }
  return isIPv4(hostname) && hostname.startsWith('127.');
}

/**
 * Why `host[:port]` is not a valid registry host, or undefined when it is. Accepts DNS names
 * and IPv4 addresses (distribution/reference's domain-name), bracketed IPv6 addresses, and a
 * port from 1 to 65535.
 */
export function registryHostProblem(host: string): string | undefined {
  let name = host;
  let port: string | undefined;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return 'an IPv6 address must be closed with "]"';
    const address = host.slice(1, close);
    // Zone identifiers (fe80::1%eth0) are local to one machine and not part of the reference grammar.
    if (!/^[0-9A-Fa-f:.]+$/.test(address) || !isIPv6(address)) return `"${address}" is not an IPv6 address`;
    const rest = host.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return 'only ":PORT" may follow an IPv6 address';
    if (rest !== '') port = rest.slice(1);
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) {
      name = host.slice(0, colon);
      port = host.slice(colon + 1);
      if (port.includes(':'))
        return 'a host has at most one ":PORT"; write IPv6 addresses in brackets, e.g. [::1]:5000';
    }
    if (name === '') return 'the host name is empty';
    const bad = name.split('.').find((label) => !DOMAIN_COMPONENT_PATTERN.test(label));
    if (bad !== undefined) {
      return bad === ''
        ? 'host names must not have empty labels (leading, trailing or doubled ".")'
        : `host label "${bad}" must be letters, digits and inner "-"`;
    }
  }
  return port === undefined ? undefined : portProblem(port);
}

function portProblem(port: string): string | undefined {
  if (port === '') return 'the port after ":" is empty';
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    return `port "${port}" must be a number from 1 to 65535`;
  }
  return undefined;
}
