export type {
  DurableContext,
  ChildCall,
  ChildHandle,
  Outcome,
  FailureInfo,
  SerializedScope,
} from './durable.js';
export type { RunEnvironment, RunPlan, RunRecorder, StepLogs } from './environment.js';
export { executeRun } from './interpreter.js';
export { runChild } from './children.js';
export { approvalTopic, DEFAULT_APPROVAL_TIMEOUT_MS, type ApprovalMessage } from './approval.js';
export { DEFAULT_MAX_PARALLEL, type NodeOutcome } from './node.js';
