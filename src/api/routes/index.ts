import type { AnyRoute } from '../http/route.js';
import { approvalRoutes } from './approvals.js';
import { auditRoutes } from './audit.js';
import { eventRoutes } from './events.js';
import { logRoutes } from './logs.js';
import { runRoutes } from './runs.js';
import { systemRoutes } from './system.js';
import { tokenRoutes } from './tokens.js';
import { workflowRoutes } from './workflows.js';

/** Every operation of the API, in the order the reference lists them. */
export const apiRoutes: readonly AnyRoute[] = [
  ...workflowRoutes,
  ...runRoutes,
  ...logRoutes,
  ...approvalRoutes,
  ...eventRoutes,
  ...tokenRoutes,
  ...auditRoutes,
  ...systemRoutes,
];
