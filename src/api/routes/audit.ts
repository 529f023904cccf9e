import { type AnyRoute, defineRoute } from '../http/route.js';
import { AuditListQuery, AuditListSchema } from '../schemas/audit.js';

const listAudit = defineRoute({
  method: 'GET',
  path: '/api/audit',
  operationId: 'listAuditEntries',
  summary: 'List audit entries, newest first',
  description:
    "Each entry carries its hash and the previous entry's: verify the chain with `airlock audit verify`, which " +
    'reads the database directly rather than trusting this API.',
  tags: ['audit'],
  access: { kind: 'token', permission: 'admin' },
  query: AuditListQuery,
  responses: { 200: { description: 'One page of entries', schema: AuditListSchema } },
  async handler({ query, services, signal }) {
    const entries = await services.audit.list(query, { signal });
    const next = entries.length === query.limit ? entries.at(-1)!.seq : null;
    return { body: { entries, next } };
  },
});

export const auditRoutes: AnyRoute[] = [listAudit];
