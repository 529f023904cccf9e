import type { ActionDefinition } from '../engine/actions/contract.js';
import { execAction } from './exec/exec-action.js';
import { httpAction } from './http/http-action.js';
import { webhookAction } from './notify-webhook/webhook-action.js';
import { attachAction } from './oci-attach/attach-action.js';
import { copyAction } from './oci-copy/copy-action.js';
import { deleteAction } from './oci-delete/delete-action.js';
import { inspectAction } from './oci-inspect/inspect-action.js';
import { listTagsAction } from './oci-list-tags/list-tags-action.js';

export { ServiceKey, registrySession, builtinRegistry, type BuiltinRegistryService } from './services.js';
export { SIGNATURE_HEADER, signatureOf } from './notify-webhook/webhook-action.js';

/**
 * The actions every Airlock process knows. `approval@v1` is not among them: waiting for a
 * human is the engine's own step kind, not work done by a worker.
 */
export function builtinActions(): ActionDefinition[] {
  // Each action narrows its own input type; the engine validates input against `input` before `run`.
  return [
    copyAction,
    listTagsAction,
    inspectAction,
    attachAction,
    deleteAction,
    webhookAction,
    execAction,
    httpAction,
  ] as unknown as ActionDefinition[];
}
