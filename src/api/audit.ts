import type { RunSummary } from '../engine/service.js';
import type { NewAuditEntry } from '../store/index.js';
import type { ApiServices } from './services.js';

/**
 * Appends an audit entry for an operation that has already happened. It takes no signal on
 * purpose: a client that goes away after the operation must not cancel its record. The operation
 * is not undone when the append fails (clients would retry a run that did start); the failure is
 * logged at error level and counted (`airlock_audit_append_failures_total`) for operators to
 * alert on.
 */
export async function recordAudit(services: ApiServices, entry: NewAuditEntry): Promise<void> {
  try {
    await services.audit.append(entry);
  } catch (error) {
    recordAuditFailure(services, entry.action, error, entry.target);
  }
}

export function recordAuditFailure(
  services: ApiServices,
  action: string,
  error: unknown,
  target?: string,
): void {
  services.metrics.auditAppendFailures.inc({ action });
  services.logger.error(
    { err: error instanceof Error ? error.message : String(error), action, target },
    'audit entry could not be written',
  );
}

/**
 * The audit entry of a run start, whoever started it (the API, a schedule, a workflow that
 * finished, a registry event): `details` adds what the starter knows (inputs, source, …).
 */
export function runStartEntry(
  run: RunSummary,
  actor: string,
  details: Record<string, unknown> = {},
): NewAuditEntry {
  return {
    actor,
    action: 'run.start',
    target: `run:${run.id}`,
    details: { workflow: run.workflow, version: run.version, trigger: run.trigger.type, ...details },
  };
}
