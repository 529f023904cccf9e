import { Readable } from 'node:stream';
import { z } from 'zod';
import type { ActionContext, ActionDefinition } from '../../engine/actions/contract.js';
import {
  type Descriptor,
  type ImageManifest,
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  encodeManifest,
} from '../../oci/manifest/index.js';
import { MediaType } from '../../oci/mediatype/index.js';
import { defineAction } from '../support/define-action.js';
import { openImage, parseLocation } from '../support/oci-locations.js';
import { annotationsField, locationField, mediaTypeField } from '../support/schemas.js';
import { type Payload, contentPayload, filePayload, pushMissing } from './payload.js';

export const AttachInput = z
  .strictObject({
    subject: locationField.describe('the image the artifact is about, by tag or digest'),
    artifactType: mediaTypeField.describe('what the artifact is, e.g. application/vnd.cyclonedx+json'),
    content: z.unknown().optional().describe('the payload: a string as UTF-8 text, anything else as JSON'),
    file: z.string().min(1).optional().describe("the payload: a file on the worker's file system"),
    mediaType: mediaTypeField.optional().describe('media type of the payload; defaults to artifactType'),
    annotations: annotationsField.optional().describe('annotations of the artifact manifest'),
  })
  .refine((input) => (input.content === undefined) !== (input.file === undefined), {
    message: 'give exactly one of content and file',
  });
export type AttachInput = z.infer<typeof AttachInput>;

export const AttachOutput = z.object({
  /** Digest of the artifact manifest. */
  digest: z.string(),
  /** Digest of the subject it refers to. */
  subject: z.string(),
  mediaType: z.string(),
  size: z.number(),
});
export type AttachOutput = z.infer<typeof AttachOutput>;

/**
 * `oci/attach@v1`: pushes an OCI artifact that refers to `subject` (image-spec v1.1
 * manifest.md, "Guidelines for Artifact Usage": `artifactType`, the empty config, one
 * layer, `subject`) into the subject's repository, where the Referrers API (or its
 * tag-schema fallback) lists it. The manifest is built deterministically — no timestamp is
 * added — so a step re-run after a crash pushes the same digest rather than a second referrer.
 */
export const attachAction: ActionDefinition<AttachInput, AttachOutput> = defineAction({
  name: 'oci/attach',
  version: 'v1',
  description: 'Attach an artifact (report, SBOM, attestation, …) to an image as an OCI referrer.',
  input: AttachInput,
  output: AttachOutput,
  run: runAttach,
});

async function runAttach(input: AttachInput, context: ActionContext): Promise<AttachOutput> {
  const { signal } = context;
  const { target, reference } = await openImage(parseLocation(input.subject, context, 'subject'), context);
  const resolved = await target.resolve(reference, { signal });
  const subject: Descriptor = { mediaType: resolved.mediaType, digest: resolved.digest, size: resolved.size };
  const payload = await payloadOf(input, signal);
  await pushMissing(target, EMPTY_CONFIG, () => Readable.from([EMPTY_CONFIG_BYTES]), signal);
  const uploaded = await pushMissing(target, payload.descriptor, payload.open, signal);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    artifactType: input.artifactType,
    config: { ...EMPTY_CONFIG },
    layers: [payload.descriptor],
    subject,
  };
  if (input.annotations && Object.keys(input.annotations).length > 0)
    manifest.annotations = input.annotations;
  const encoded = encodeManifest(manifest);
  await target.pushManifest(encoded, { signal });
  const { registry, repository } = target.location;
  context.logger.info(
    {
      registry,
      repository,
      digest: encoded.descriptor.digest,
      subject: subject.digest,
      artifactType: input.artifactType,
      bytes: payload.descriptor.size,
      uploaded,
    },
    'artifact attached',
  );
  return {
    digest: encoded.descriptor.digest,
    subject: subject.digest,
    mediaType: encoded.descriptor.mediaType,
    size: encoded.descriptor.size,
  };
}

function payloadOf(input: AttachInput, signal: AbortSignal): Promise<Payload> | Payload {
  const mediaType = input.mediaType ?? input.artifactType;
  return input.file !== undefined
    ? filePayload(input.file, mediaType, signal)
    : contentPayload(input.content, mediaType);
}
