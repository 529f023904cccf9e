import type { TriggerDefinition } from '../definition/types.js';
import type { RegistryEvent } from './registry-events.js';

/** Whether a registry trigger (`registry: { push: { repository: 'quarantine/**', tag: '3.*' } }`) fires for an event. */
export function registryTriggerMatches(
  trigger: Extract<TriggerDefinition, { type: 'registry' }>,
  event: RegistryEvent,
): boolean {
  if (trigger.event !== event.action) return false;
  if (!globMatch(trigger.repository, event.repository)) return false;
  if (trigger.tag !== undefined && (event.tag === undefined || !globMatch(trigger.tag, event.tag)))
    return false;
  return true;
}

/** `*` matches within a path segment, `**` across segments, `?` one character. */
export function globMatch(pattern: string, text: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        source += '(?:.*/)?';
        i++;
      } else source += '.*';
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(text);
}
