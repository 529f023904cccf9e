import { z } from 'zod';
import type { ActionContext, ActionDefinition } from '../../engine/actions/contract.js';
import { OciError } from '../../kernel/index.js';
import type { Descriptor } from '../../oci/manifest/index.js';
import { defineAction } from '../support/define-action.js';
import { actionFailure } from '../support/failure.js';
import { type OpenedTarget, describeLocation, openImage, parseLocation } from '../support/oci-locations.js';
import { locationField } from '../support/schemas.js';

export const DeleteInput = z.strictObject({
  image: locationField.describe(
    'the manifest to delete, by digest or tag (every tag pointing to it goes too)',
  ),
  missingOk: z
    .boolean()
    .default(false)
    .describe('succeed when there is nothing to delete (e.g. a step re-run after the deletion)'),
});
export type DeleteInput = z.infer<typeof DeleteInput>;

export const DeleteOutput = z.object({
  /** Digest of the deleted manifest; null when there was nothing to delete (`missingOk`). */
  deleted: z.string().nullable(),
});
export type DeleteOutput = z.infer<typeof DeleteOutput>;

/**
 * `oci/delete@v1`: deletes a manifest (distribution-spec v1.1 "Deleting Manifests"). A tag is
 * resolved to its digest first and the manifest is deleted by digest, which removes every
 * tag pointing to it and its entry in the subject's referrers.
 */
export const deleteAction: ActionDefinition<DeleteInput, DeleteOutput> = defineAction({
  name: 'oci/delete',
  version: 'v1',
  description: 'Delete a manifest by digest or tag, with every tag that points to it.',
  input: DeleteInput,
  output: DeleteOutput,
  run: runDelete,
});

async function runDelete(input: DeleteInput, context: ActionContext): Promise<DeleteOutput> {
  const spec = parseLocation(input.image, context, 'image');
  const { target, reference } = await openImage(spec, context);
  const { registry, repository } = target.location;
  const descriptor = await resolveOrMissing(target, reference, context.signal);
  if (descriptor === undefined) {
    if (!input.missingOk) {
      throw actionFailure(
        'OCI_MANIFEST_UNKNOWN',
        `nothing to delete: ${describeLocation(spec)} does not exist (set missingOk to accept that)`,
        { details: { registry, repository, reference } },
      );
    }
    context.logger.info({ registry, repository, reference }, 'nothing to delete');
    return { deleted: null };
  }
  try {
    await target.deleteManifest(descriptor, { signal: context.signal });
  } catch (error) {
    throw explainDeleteFailure(error, describeLocation(spec));
  }
  context.logger.info({ registry, repository, digest: descriptor.digest, reference }, 'manifest deleted');
  return { deleted: descriptor.digest };
}

async function resolveOrMissing(
  target: OpenedTarget,
  reference: string,
  signal: AbortSignal,
): Promise<Descriptor | undefined> {
  try {
    return await target.resolve(reference, { signal });
  } catch (error) {
    if (error instanceof OciError && error.code === 'OCI_MANIFEST_UNKNOWN') return undefined;
    throw error;
  }
}

function explainDeleteFailure(error: unknown, image: string): unknown {
  if (error instanceof OciError && error.code === 'OCI_UNSUPPORTED') {
    return actionFailure(
      error.code,
      `the registry refuses to delete ${image}: deletion is disabled there (CNCF distribution: storage.delete.enabled)`,
      { details: error.details, cause: error },
    );
  }
  return error;
}
