import { AppError } from '../../../kernel/index.js';
import { parseWorkflow, type ParseWorkflowOptions } from '../parse-workflow.js';

/** The lines of the ENGINE_DEFINITION_INVALID message, or [] when the source parses. */
export function problems(source: string, options: ParseWorkflowOptions = { file: 'mirror.yaml' }): string[] {
  try {
    parseWorkflow(source, options);
    return [];
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'ENGINE_DEFINITION_INVALID') throw error;
    return error.message.split('\n');
  }
}

const HEAD = 'apiVersion: airlock.dev/v1\nkind: Workflow\nname: wf\n';

/** A workflow whose body (after name) is `body`; line 4 is the body's first line. */
export const workflow = (body: string) => HEAD + body;
