import { randomUUID } from 'node:crypto';

/**
 * A manifest pushed or deleted, in the shape of CNCF distribution's notification events, so
 * that whatever reads distribution's notifications (Airlock's own receiver included) reads
 * these too. Blob traffic and pulls are not reported.
 */
export interface RegistryNotification {
  id: string;
  timestamp: string;
  action: 'push' | 'delete';
  target: {
    repository: string;
    digest?: string;
    tag?: string;
    mediaType?: string;
    size?: number;
  };
  actor: { name: string };
}

/** Receives the registry's events; must not throw or block (delivery is its own business). */
export type RegistryEventSink = (event: RegistryNotification) => void;

export function registryNotification(
  action: RegistryNotification['action'],
  target: RegistryNotification['target'],
  actor: string,
  now = new Date(),
): RegistryNotification {
  return { id: randomUUID(), timestamp: now.toISOString(), action, target, actor: { name: actor } };
}
