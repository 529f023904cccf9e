import { recordAudit } from '../audit.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import {
  ApprovalListQuery,
  ApprovalListSchema,
  ApprovalSchema,
  DecisionRequestSchema,
} from '../schemas/approvals.js';
import { RunIdParams } from '../schemas/common.js';

const TAGS = ['approvals'];

const listApprovals = defineRoute({
  method: 'GET',
  path: '/api/approvals',
  operationId: 'listApprovals',
  summary: 'List approvals (pending ones by default)',
  tags: TAGS,
  access: { kind: 'token', permission: 'read' },
  query: ApprovalListQuery,
  responses: { 200: { description: 'Approvals', schema: ApprovalListSchema } },
  async handler({ query, services }) {
    return {
      body: { approvals: await services.engine.listApprovals({ status: query.status, runId: query.run }) },
    };
  },
});

function decisionRoute(decision: 'approve' | 'deny') {
  return defineRoute({
    method: 'POST',
    path: `/api/runs/{id}/${decision}`,
    operationId: decision === 'approve' ? 'approveRun' : 'denyRun',
    summary: decision === 'approve' ? 'Approve a waiting approval step' : 'Deny a waiting approval step',
    description:
      'Decides the pending approval of the run (name the step when it waits on several; a forEach item as `gate[2]`). The reason is required ' +
      'and recorded with the decision and in the audit log. The approval may restrict who decides further ' +
      '(its `approvers`); a caller outside them gets 403.',
    tags: TAGS,
    access: { kind: 'token', permission: 'decide' },
    params: RunIdParams,
    body: DecisionRequestSchema,
    responses: { 200: { description: 'The decided approval', schema: ApprovalSchema } },
    async handler({ params, body, actor, services }) {
      const approval = await services.engine.decide(params.id, {
        stepId: body.step,
        decision,
        reason: body.reason,
        actor,
      });
      await recordAudit(services, {
        actor: actor.subject,
        action: `approval.${decision}`,
        target: `run:${approval.runId}`,
        details: { step: approval.stepId, reason: body.reason },
      });
      return { body: approval };
    },
  });
}

export const approvalRoutes: AnyRoute[] = [listApprovals, decisionRoute('approve'), decisionRoute('deny')];
