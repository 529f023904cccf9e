import type { z } from 'zod';
import type * as engine from '../engine/service.js';
import type { ApiTokenRecord, AuditEntry } from '../store/index.js';
import type { ApprovalSchema, ApprovalListSchema } from './schemas/approvals.js';
import type { AuditEntrySchema, AuditListSchema } from './schemas/audit.js';
import type { ProblemSchema } from './schemas/common.js';
import type {
  LogLineSchema,
  LogListSchema,
  RunDetailSchema,
  RunListSchema,
  RunSummarySchema,
  StepRunSchema,
} from './schemas/runs.js';
import type { ApiTokenSchema, CreatedTokenSchema, TokenListSchema, WhoAmISchema } from './schemas/tokens.js';
import type { EventOutcomeSchema, TriggerListSchema, TriggerSummarySchema } from './schemas/triggers.js';
import type {
  ApplyResultSchema,
  WorkflowListSchema,
  WorkflowSummarySchema,
  WorkflowVersionListSchema,
  WorkflowVersionSchema,
  WorkflowVersionSummarySchema,
} from './schemas/workflows.js';

/**
 * The API's response bodies as types, for clients (the CLI) that must not import the engine.
 * They come from the same schemas the OpenAPI document is generated from.
 */
export type RunSummaryBody = z.output<typeof RunSummarySchema>;
export type RunDetailBody = z.output<typeof RunDetailSchema>;
export type StepRunBody = z.output<typeof StepRunSchema>;
export type RunListBody = z.output<typeof RunListSchema>;
export type LogLineBody = z.output<typeof LogLineSchema>;
export type LogListBody = z.output<typeof LogListSchema>;
export type WorkflowSummaryBody = z.output<typeof WorkflowSummarySchema>;
export type WorkflowListBody = z.output<typeof WorkflowListSchema>;
export type WorkflowVersionBody = z.output<typeof WorkflowVersionSchema>;
export type WorkflowVersionSummaryBody = z.output<typeof WorkflowVersionSummarySchema>;
export type WorkflowVersionListBody = z.output<typeof WorkflowVersionListSchema>;
export type ApplyResultBody = z.output<typeof ApplyResultSchema>;
export type ApprovalBody = z.output<typeof ApprovalSchema>;
export type ApprovalListBody = z.output<typeof ApprovalListSchema>;
export type TriggerSummaryBody = z.output<typeof TriggerSummarySchema>;
export type TriggerListBody = z.output<typeof TriggerListSchema>;
export type EventOutcomeBody = z.output<typeof EventOutcomeSchema>;
export type ApiTokenBody = z.output<typeof ApiTokenSchema>;
export type CreatedTokenBody = z.output<typeof CreatedTokenSchema>;
export type TokenListBody = z.output<typeof TokenListSchema>;
export type WhoAmIBody = z.output<typeof WhoAmISchema>;
export type AuditEntryBody = z.output<typeof AuditEntrySchema>;
export type AuditListBody = z.output<typeof AuditListSchema>;
export type ProblemBody = z.output<typeof ProblemSchema>;

/**
 * Compile-time check that the documented schemas describe what the engine and the stores
 * return: every value of the engine's type is a value of the schema's type, field for field.
 * A field added to one side only fails the build here.
 */
type Describes<Source, Schema> = [Source] extends [Schema]
  ? [keyof Source] extends [keyof Schema]
    ? [keyof Schema] extends [keyof Source]
      ? true
      : false
    : false
  : false;

export const SCHEMAS_DESCRIBE_THE_ENGINE: [
  Describes<engine.RunSummary, RunSummaryBody>,
  Describes<engine.RunDetail, RunDetailBody>,
  Describes<engine.StepRun, StepRunBody>,
  Describes<engine.LogLine, LogLineBody>,
  Describes<engine.WorkflowSummary, WorkflowSummaryBody>,
  Describes<engine.WorkflowVersion, WorkflowVersionBody>,
  Describes<engine.WorkflowVersionSummary, WorkflowVersionSummaryBody>,
  Describes<engine.Approval, ApprovalBody>,
  Describes<engine.TriggerSummary, TriggerSummaryBody>,
  Describes<engine.EventOutcome, EventOutcomeBody>,
  Describes<ApiTokenRecord, ApiTokenBody>,
  Describes<AuditEntry, AuditEntryBody>,
] = [true, true, true, true, true, true, true, true, true, true, true, true];
