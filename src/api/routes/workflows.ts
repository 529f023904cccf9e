import { z } from 'zod';
import { AppError } from '../../kernel/index.js';
import { recordAudit } from '../audit.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import {
  ApplyResultSchema,
  ApplyWorkflowJsonSchema,
  WorkflowListSchema,
  WorkflowNameParams,
  WorkflowVersionListSchema,
  WorkflowVersionParams,
  WorkflowVersionSchema,
} from '../schemas/workflows.js';

const TAGS = ['workflows'];

/** Media types a workflow's YAML may be sent as. */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

const applyWorkflow = defineRoute({
  method: 'POST',
  path: '/api/workflows',
  operationId: 'applyWorkflow',
  summary: 'Apply a workflow definition',
  description:
    'Validates the YAML and stores it as the next version of its workflow. Versions are immutable; ' +
    'applying the text of the latest version again creates nothing (200 instead of 201). ' +
    'Send the YAML itself (application/yaml) or JSON `{source, file}`; the file name only improves error messages.',
  tags: TAGS,
  access: { kind: 'token', permission: 'operate' },
  query: z.object({ file: z.string().max(500).optional().describe('File name for error messages') }),
  body: z.union([z.string().min(1, 'the workflow YAML is empty'), ApplyWorkflowJsonSchema]),
  requestContent: {
    'application/yaml': z.string(),
    'application/json': ApplyWorkflowJsonSchema,
  },
  responses: {
    201: { description: 'A new version was stored', schema: ApplyResultSchema },
    200: { description: 'The latest version already has this source', schema: ApplyResultSchema },
  },
  async handler({ body, query, actor, services }) {
    const source = typeof body === 'string' ? body : body.source;
    const file = (typeof body === 'string' ? undefined : body.file) ?? query.file;
    const result = await services.engine.applyWorkflow(source, { file, actor });
    const { name, version, digest } = result.version;
    if (result.created)
      await recordAudit(services, {
        actor: actor.subject,
        action: 'workflow.apply',
        target: `workflow:${name}@${version}`,
        details: { digest, ...(file === undefined ? {} : { file }) },
      });
    return {
      status: result.created ? 201 : 200,
      body: result,
      headers: { location: `/api/workflows/${encodeURIComponent(name)}/versions/${version}` },
    };
  },
});

const listWorkflows = defineRoute({
  method: 'GET',
  path: '/api/workflows',
  operationId: 'listWorkflows',
  summary: 'List workflows with their latest version',
  tags: TAGS,
  access: { kind: 'token', permission: 'read' },
  responses: { 200: { description: 'Workflows by name', schema: WorkflowListSchema } },
  async handler({ services }) {
    return { body: { workflows: await services.engine.listWorkflows() } };
  },
});

const getWorkflow = defineRoute({
  method: 'GET',
  path: '/api/workflows/{name}',
  operationId: 'getWorkflow',
  summary: 'Get the latest version of a workflow',
  tags: TAGS,
  access: { kind: 'token', permission: 'read' },
  params: WorkflowNameParams,
  responses: { 200: { description: 'The latest version, with its source', schema: WorkflowVersionSchema } },
  async handler({ params, services }) {
    return { body: await found(services.engine.getWorkflow(params.name), params.name) };
  },
});

const getWorkflowVersion = defineRoute({
  method: 'GET',
  path: '/api/workflows/{name}/versions/{version}',
  operationId: 'getWorkflowVersion',
  summary: 'Get one version of a workflow',
  tags: TAGS,
  access: { kind: 'token', permission: 'read' },
  params: WorkflowVersionParams,
  responses: { 200: { description: 'The version, with its source', schema: WorkflowVersionSchema } },
  async handler({ params, services }) {
    return {
      body: await found(
        services.engine.getWorkflow(params.name, params.version),
        params.name,
        params.version,
      ),
    };
  },
});

const listWorkflowVersions = defineRoute({
  method: 'GET',
  path: '/api/workflows/{name}/versions',
  operationId: 'listWorkflowVersions',
  summary: 'List the versions of a workflow',
  tags: TAGS,
  access: { kind: 'token', permission: 'read' },
  params: WorkflowNameParams,
  responses: { 200: { description: 'Versions, oldest first', schema: WorkflowVersionListSchema } },
  async handler({ params, services }) {
    const versions = await services.engine.listWorkflowVersions(params.name);
    if (versions.length === 0) throw notFound(params.name);
    return { body: { versions } };
  },
});

async function found<T>(lookup: Promise<T | undefined>, name: string, version?: number): Promise<T> {
  const value = await lookup;
  if (value === undefined) throw notFound(name, version);
  return value;
}

function notFound(name: string, version?: number): AppError {
  const which = version === undefined ? '' : ` has no version ${version}`;
  const message = version === undefined ? `workflow ${name} does not exist` : `workflow ${name}${which}`;
  return new AppError('ENGINE_WORKFLOW_NOT_FOUND', `${message}: see GET /api/workflows`, {
    details: { workflow: name, ...(version === undefined ? {} : { version }) },
  });
}

export const workflowRoutes: AnyRoute[] = [
  applyWorkflow,
  listWorkflows,
  getWorkflow,
  listWorkflowVersions,
  getWorkflowVersion,
];
