import type { LogLineBody } from '../../api/index.js';
import type { LogEvent } from '../api-client.js';
import { formatDuration } from '../render/format.js';

/** `2026-03-01 12:00:05`: UTC to the second, sortable, short enough for a table. */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** From start (or creation) to finish; `-` while it has not finished. */
export function runDuration(item: { createdAt?: string; startedAt?: string; finishedAt?: string }): string {
  const start = item.startedAt ?? item.createdAt;
  if (!start || !item.finishedAt) return '-';
  return formatDuration(Date.parse(item.finishedAt) - Date.parse(start));
}

/** `12:00:05.123 INFO  tags[2]  found 3 tags count=3`. */
export function formatLogLine(line: LogLineBody): string {
  const step =
    line.stepId === undefined ? '' : `${line.stepId}${line.index === undefined ? '' : `[${line.index}]`}  `;
  const fields = Object.entries(line.fields ?? {})
    .map(
      ([key, value]) =>
        ` ${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`,
    )
    .join('');
  return `${line.at.slice(11, 23)} ${line.level.toUpperCase().padEnd(5)} ${step}${line.message}${fields}`;
}

export function describeEnd(id: string, event: Extract<LogEvent, { type: 'end' }>): string {
  if (!event.error) return `run ${id} ${event.status}`;
  const where = event.error.step ? ` at step ${event.error.step}` : '';
  return `run ${id} ${event.status}${where}: ${event.error.message} [${event.error.code}]`;
}
