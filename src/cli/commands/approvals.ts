import { Option, type Command } from 'commander';
import type { ApprovalBody } from '../../api/index.js';
import { type ApiFlags, addApiFlags, apiClientFor } from '../api-flags.js';
import { type CliIo, print } from '../io.js';
import { writeJson } from '../options.js';
import { formatTable } from '../render/table.js';
import { formatTime } from './runs-render.js';

interface DecisionFlags extends ApiFlags {
  step?: string;
  reason: string;
}

interface ListFlags extends ApiFlags {
  status?: string;
  run?: string;
}

/** `airlock approve RUN`, `airlock deny RUN` and `airlock approvals`: human decisions on waiting runs. */
export function registerApprovalCommands(program: Command, io: CliIo): void {
  for (const decision of ['approve', 'deny'] as const) registerDecision(program, io, decision);
  registerList(program, io);
}

function registerDecision(program: Command, io: CliIo, decision: 'approve' | 'deny'): void {
  const command = program
    .command(decision)
    .description(
      decision === 'approve'
        ? 'Approve the approval step a run waits on; the reason is recorded with the decision and in the audit log'
        : 'Deny the approval step a run waits on (the run fails); the reason is recorded with the decision and in the audit log',
    )
    .argument('<run-id>')
    .option('--step <id>', 'the approval step, when the run waits on several (a forEach item: gate[2])')
    .requiredOption('--reason <text>', 'why: recorded and shown to whoever looks at the run');
  addApiFlags(command).action(async (runId: string, flags: DecisionFlags) => {
    const approval = await (
      await apiClientFor(flags, io)
    ).decide(runId, decision, { step: flags.step, reason: flags.reason }, { signal: io.signal });
    if (flags.json) writeJson(io, approval);
    else
      print(
        io.stdout,
        `run ${approval.runId} step ${approval.stepId}: ${approval.status} by ${approval.decidedBy}`,
      );
  });
}

function registerList(program: Command, io: CliIo): void {
  const command = program
    .command('approvals')
    .description('List approvals: the pending ones by default')
    .addOption(
      new Option('--status <status>', 'approvals in this status').choices([
        'pending',
        'approved',
        'denied',
        'timed-out',
        'cancelled',
      ]),
    )
    .option('--run <run-id>', 'only this run');
  addApiFlags(command).action(async (flags: ListFlags) => {
    const { approvals } = await (
      await apiClientFor(flags, io)
    ).listApprovals({ status: flags.status, run: flags.run }, { signal: io.signal });
    if (flags.json) return writeJson(io, approvals);
    if (approvals.length === 0) return print(io.stderr, `no ${flags.status ?? 'pending'} approvals`);
    print(io.stdout, approvalsTable(approvals));
  });
}

function approvalsTable(approvals: ApprovalBody[]): string {
  return formatTable(
    ['RUN', 'STEP', 'STATUS', 'APPROVERS', 'REQUESTED', 'TIMEOUT', 'DECIDED BY', 'MESSAGE / REASON'],
    approvals.map((a) => [
      a.runId,
      a.index === undefined ? a.stepId : `${a.stepId}[${a.index}]`,
      a.status,
      a.approvers.join(','),
      formatTime(a.requestedAt),
      a.timeoutAt ? formatTime(a.timeoutAt) : '-',
      a.decidedBy ?? '-',
      a.reason ?? a.message ?? '',
    ]),
  );
}
