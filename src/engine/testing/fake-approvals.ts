import { AppError } from '../../kernel/index.js';
import type { Actor, Approval, ApprovalStatus } from '../service.js';

/** The approvals of the fake engine's runs, in the order they were requested. */
export class FakeApprovals {
  private readonly approvals: Approval[] = [];

  add(approval: Approval): void {
    this.approvals.push(approval);
  }

  list(filter: { status?: ApprovalStatus; runId?: string }): Approval[] {
    return this.approvals
      .filter((a) => filter.status === undefined || a.status === filter.status)
      .filter((a) => filter.runId === undefined || a.runId === filter.runId)
      .map((a) => ({ ...a }));
  }

  /** The one pending approval of the run (at `stepId`, when given); the stored object, to be decided. */
  pending(runId: string, stepId: string | undefined): Approval {
    const pending = this.approvals.filter(
      (a) => a.runId === runId && a.status === 'pending' && (stepId === undefined || a.stepId === stepId),
    );
    if (pending.length === 1) return pending[0]!;
    const what = stepId === undefined ? '' : ` at step ${stepId}`;
    const message =
      pending.length === 0
        ? `run ${runId} has no pending approval${what}`
        : `run ${runId} has ${pending.length} pending approvals (${pending.map((a) => a.stepId).join(', ')}): name the step`;
    throw new AppError('ENGINE_APPROVAL_NOT_FOUND', message, { details: { run: runId } });
  }

  /** A cancelled run's approvals can no longer be decided. */
  close(runId: string): void {
    for (const approval of this.approvals)
      if (approval.runId === runId && approval.status === 'pending') approval.status = 'timed-out';
  }
}

/** `role:<r>` for any of the actor's roles, the actor's own subject, or an admin. */
export function mayDecide(actor: Actor, approvers: string[]): boolean {
  if (actor.roles.includes('admin')) return true;
  return approvers.includes(actor.subject) || actor.roles.some((role) => approvers.includes(`role:${role}`));
}
