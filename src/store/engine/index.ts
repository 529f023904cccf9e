export { PostgresWorkflowStore, type StoredWorkflowVersion } from './workflow-store.js';
export {
  PostgresRunStore,
  type StoredRun,
  type StoredStep,
  type NewRun,
  type RunQuery,
} from './run-store.js';
export { PostgresLogStore, type StoredLogLine, type NewLogLine } from './log-store.js';
export { PostgresApprovalStore, type StoredApproval } from './approval-store.js';
export { PostgresWorkerStore } from './worker-store.js';
export { PostgresEventStore } from './event-store.js';
