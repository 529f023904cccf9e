import type { ActionContext } from '../engine/actions/contract.js';
import type { BlobLocationHints } from '../oci/copy/index.js';
import type { RegistrySession } from '../oci/remote/index.js';
import { actionFailure } from './support/failure.js';

/**
 * Names under which a process provides services to the built-in actions
 * (`ActionContext.services`). The engine passes the record through untouched; the
 * composition root fills it.
 */
export const ServiceKey = {
  /** A `RegistrySession` with the process's registry credentials. */
  registries: 'registries',
  /** `{ address: 'host:port' }` of Airlock's own registry, for `builtin://` locations. */
  builtinRegistry: 'builtinRegistry',
  /** A `BlobLocationHints`: where earlier copies left blobs (mount sources). Optional. */
  blobLocations: 'blobLocations',
} as const;

export interface BuiltinRegistryService {
  /** `host[:port]` under which this process reaches the built-in registry. */
  address: string;
}

/** The process's registry session; fails the step (permanently) when the process has none. */
export function registrySession(context: ActionContext): RegistrySession {
  const session = context.services[ServiceKey.registries];
  if (!isRegistrySession(session)) {
    throw actionFailure(
      'ACTION_SERVICE_MISSING',
      `this process provides no registry access (service "${ServiceKey.registries}"); run the step on an Airlock server or worker`,
      { details: { service: ServiceKey.registries } },
    );
  }
  return session;
}

/** The built-in registry's address, or undefined when this process does not run one. */
export function builtinRegistry(context: ActionContext): BuiltinRegistryService | undefined {
  const service = context.services[ServiceKey.builtinRegistry] as Partial<BuiltinRegistryService> | undefined;
  return typeof service?.address === 'string' && service.address !== ''
    ? { address: service.address }
    : undefined;
}

/** Where earlier copies left blobs, when the process keeps track (optional: copies work without). */
export function blobLocationHints(context: ActionContext): BlobLocationHints | undefined {
  const hints = context.services[ServiceKey.blobLocations] as Partial<BlobLocationHints> | undefined;
  return typeof hints?.repositoriesHolding === 'function' && typeof hints.remember === 'function'
    ? (hints as BlobLocationHints)
    : undefined;
}

// Duck-typed rather than `instanceof`: a bundled CLI and its tests may load two copies of the class.
function isRegistrySession(value: unknown): value is RegistrySession {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<RegistrySession>).repository === 'function'
  );
}
