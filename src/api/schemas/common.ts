import { z } from 'zod';
import { API_ROLES } from '../../store/index.js';
import { named } from './registry.js';

export const RoleSchema = named(
  'Role',
  z
    .enum(API_ROLES)
    .describe(
      'viewer: read everything but tokens and the audit log; operator: also apply workflows and start, cancel and retry runs; ' +
        'approver: also decide approvals; admin: everything, including tokens and the audit log',
    ),
);

export const FieldErrorSchema = named(
  'FieldError',
  z.object({
    file: z.string().optional().describe('The submitted file, when the error has a position in it'),
    path: z
      .string()
      .describe('Where: `body.inputs.tag`, `query.limit`, or a path in a workflow file (`steps[1].uses`)'),
    message: z.string(),
    line: z
      .number()
      .int()
      .optional()
      .describe('1-based line in the submitted file, for workflow definitions'),
    column: z.number().int().optional(),
  }),
);

export const ProblemSchema = named(
  'Problem',
  z
    .object({
      type: z
        .string()
        .describe('A stable URI per error code, e.g. https://airlock.dev/problems/api-forbidden'),
      title: z.string().describe('Short, stable summary of the type'),
      status: z.number().int(),
      detail: z.string().describe('What went wrong in this request, and what to do about it'),
      instance: z.string().describe('The request id (also in the X-Request-Id header and the server log)'),
      code: z.string().describe('Airlock error code, e.g. API_FORBIDDEN'),
      errors: z.array(FieldErrorSchema).optional().describe('Every invalid field, for validation problems'),
    })
    .describe('RFC 9457 problem details'),
);

/** Path parameter `id` of a run. */
export const RunIdParams = z.object({ id: z.string().min(1).max(200).describe('Run id') });

export const StatusSchema = named('Status', z.object({ status: z.string() }));
