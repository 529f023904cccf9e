import type { ActionContext, ActionDefinition } from '../../engine/actions/contract.js';
import { parseActionInput, toActionFailure } from './failure.js';

/**
 * A built-in action with the behaviour every built-in shares: its input is validated
 * against its schema before `run` sees it (errors name each wrong field), anything thrown
 * becomes an ActionFailure that says whether trying again may help, and `queue` never throws
 * (an input it cannot read goes to the default queue, where validation reports it).
 */
export function defineAction<Input, Output>(
  spec: ActionDefinition<Input, Output>,
): ActionDefinition<Input, Output> {
  const id = `${spec.name}@${spec.version}`;
  const action: ActionDefinition<Input, Output> = {
    name: spec.name,
    version: spec.version,
    description: spec.description,
    input: spec.input,
    output: spec.output,
    async run(raw: Input, context: ActionContext): Promise<Output> {
      const input = parseActionInput(spec.input, raw, id);
      try {
        return await spec.run(input, context);
      } catch (error) {
        throw toActionFailure(error, context.signal);
      }
    },
  };
  const queue = spec.queue;
  if (queue) {
    action.queue = (input: Input) => {
      try {
        return queue(input);
      } catch {
        return undefined;
      }
    };
  }
  return action;
}
