export { createApiServer, type ApiServer, type ApiServerOptions } from './server.js';
export { bootstrapAdminToken, BOOTSTRAP_SUBJECT, type BootstrapOptions } from './auth/bootstrap.js';
export { type Permission, isAllowed, rolesGranting } from './auth/permissions.js';
export { buildOpenApiDocument, type OpenApiInfo } from './openapi/document.js';
export { apiRoutes } from './routes/index.js';
export {
  PROBLEM_MEDIA_TYPE,
  PROBLEM_TYPE_BASE,
  problemType,
  type Problem,
  type FieldError,
} from './http/problem.js';
export type { AnyRoute, RouteDefinition, Access } from './http/route.js';
export type {
  ApiTokenBody,
  ApplyResultBody,
  ApprovalBody,
  ApprovalListBody,
  AuditEntryBody,
  AuditListBody,
  CreatedTokenBody,
  EventOutcomeBody,
  LogLineBody,
  LogListBody,
  ProblemBody,
  RunDetailBody,
  RunListBody,
  RunSummaryBody,
  StepRunBody,
  TokenListBody,
  TriggerListBody,
  TriggerSummaryBody,
  WhoAmIBody,
  WorkflowListBody,
  WorkflowSummaryBody,
  WorkflowVersionBody,
  WorkflowVersionListBody,
  WorkflowVersionSummaryBody,
} from './types.js';
