import { z } from 'zod';
import { named } from './registry.js';

export const WorkflowVersionSummarySchema = named(
  'WorkflowVersionSummary',
  z.object({
    name: z.string(),
    version: z.number().int().min(1),
    digest: z.string().describe('sha256 of the source text: applying the same text again creates no version'),
    createdAt: z.string(),
    createdBy: z.string(),
  }),
);

export const WorkflowVersionSchema = named(
  'WorkflowVersion',
  WorkflowVersionSummarySchema.extend({
    source: z.string().describe('The YAML as applied'),
    definition: z.unknown().describe('The validated definition the engine runs'),
  }),
);

export const WorkflowSummarySchema = named(
  'WorkflowSummary',
  z.object({
    name: z.string(),
    description: z.string().optional(),
    latestVersion: z.number().int(),
    triggers: z.array(z.string()).describe('Trigger types: manual, schedule, registry, workflow'),
    updatedAt: z.string(),
  }),
);

export const WorkflowListSchema = named(
  'WorkflowList',
  z.object({ workflows: z.array(WorkflowSummarySchema) }),
);
export const WorkflowVersionListSchema = named(
  'WorkflowVersionList',
  z.object({ versions: z.array(WorkflowVersionSummarySchema) }),
);

export const ApplyWorkflowJsonSchema = z.object({
  source: z.string().min(1).describe('The workflow YAML'),
  file: z.string().max(500).optional().describe('File name, for error messages'),
});

export const ApplyResultSchema = named(
  'ApplyResult',
  z.object({
    created: z.boolean().describe('False when the source equals the latest version'),
    version: WorkflowVersionSchema,
  }),
);

export const WorkflowNameParams = z.object({ name: z.string().min(1).max(200) });
export const WorkflowVersionParams = WorkflowNameParams.extend({
  version: z.coerce.number().int().min(1).describe('Version number'),
});
