import { createHash } from 'node:crypto';
import { AppError } from '../../kernel/index.js';
import type { EventSource } from '../service.js';

/** A registry event, whatever registry sent it. */
export interface RegistryEvent {
  /** Stable id for de-duplication (the sender's, or derived from the content). */
  id: string;
  action: 'push' | 'delete';
  repository: string;
  tag?: string;
  digest?: string;
  mediaType?: string;
  /** Who or what sent it, as the sender says. */
  source: EventSource;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

/**
 * Reads registry notifications: CNCF distribution's (`{"events": [...]}`, also what Airlock's
 * registry sends) and Harbor's webhooks (`{"type": "PUSH_ARTIFACT", "event_data": …}`). Only
 * manifest pushes and deletions are events here; blob traffic and pulls are ignored.
 */
export function parseRegistryEvents(source: EventSource, body: unknown): RegistryEvent[] {
  if (!body || typeof body !== 'object') throw invalid(source, 'the body is not a JSON object');
  return source === 'harbor'
    ? harborEvents(body as Record<string, unknown>)
    : distributionEvents(source, body as Record<string, unknown>);
}

function distributionEvents(source: EventSource, body: Record<string, unknown>): RegistryEvent[] {
  if (!Array.isArray(body.events))
    throw invalid(source, 'expected {"events": [...]} (CNCF distribution notification envelope)');
  const out: RegistryEvent[] = [];
  for (const raw of body.events as Record<string, unknown>[]) {
    const target = (raw?.target ?? {}) as Record<string, unknown>;
    const action = raw?.action;
    if ((action !== 'push' && action !== 'delete') || typeof target.repository !== 'string') continue;
    const mediaType = typeof target.mediaType === 'string' ? target.mediaType : undefined;
    if (action === 'push' && (!mediaType || !MANIFEST_TYPES.includes(mediaType))) continue;
    const event: RegistryEvent = { id: '', action, repository: target.repository, source };
    if (typeof target.tag === 'string' && target.tag !== '') event.tag = target.tag;
    if (typeof target.digest === 'string') event.digest = target.digest;
    if (mediaType) event.mediaType = mediaType;
    event.id =
      typeof raw.id === 'string' && raw.id !== '' ? `${source}:${raw.id}` : derivedId(event, raw.timestamp);
    out.push(event);
  }
  return out;
}

function harborEvents(body: Record<string, unknown>): RegistryEvent[] {
  const type = body.type;
  const action = type === 'PUSH_ARTIFACT' ? 'push' : type === 'DELETE_ARTIFACT' ? 'delete' : undefined;
  if (typeof type !== 'string')
    throw invalid('harbor', 'expected a Harbor webhook ({"type": "PUSH_ARTIFACT", "event_data": …})');
  if (!action) return [];
  const data = (body.event_data ?? {}) as Record<string, unknown>;
  const repository = (data.repository ?? {}) as Record<string, unknown>;
  const name = typeof repository.repo_full_name === 'string' ? repository.repo_full_name : undefined;
  if (!name) throw invalid('harbor', 'event_data.repository.repo_full_name is missing');
  const resources = Array.isArray(data.resources) ? (data.resources as Record<string, unknown>[]) : [];
  return resources.map((resource) => {
    const event: RegistryEvent = { id: '', action, repository: name, source: 'harbor' };
    if (typeof resource.tag === 'string' && resource.tag !== '') event.tag = resource.tag;
    if (typeof resource.digest === 'string') event.digest = resource.digest;
    event.id = derivedId(event, body.occur_at);
    return event;
  });
}

/** Senders without event ids: the same content at the same time is the same event. */
function derivedId(event: RegistryEvent, time: unknown): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([event.source, event.action, event.repository, event.tag, event.digest, time]))
    .digest('hex');
  return `${event.source}:${hash.slice(0, 32)}`;
}

function invalid(source: EventSource, message: string): AppError {
  return new AppError('ENGINE_EVENT_INVALID', `${source} event: ${message}`);
}
