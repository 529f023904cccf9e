import { z } from 'zod';
import { ActionFailure, type ActionContext, type ActionDefinition } from '../../engine/actions/contract.js';
import { type AppError, throwIfAborted } from '../../kernel/index.js';
import {
  Copier,
  type CopyEvent,
  type CopyItem,
  type CopyResult,
  describeLocation as describeTarget,
} from '../../oci/copy/index.js';
import { parsePlatform } from '../../oci/manifest/index.js';
import type { TargetSpec } from '../../oci/ref/index.js';
import { defineAction } from '../support/define-action.js';
import { invalidInput } from '../support/failure.js';
import {
  TargetCache,
  imageReference,
  locationWithTag,
  parseLocation,
  registryOfLocation,
  requireRepository,
} from '../support/oci-locations.js';
import { locationField, platformField, tagField } from '../support/schemas.js';
import { blobLocationHints } from '../services.js';

export const CopyInput = z.strictObject({
  source: locationField.describe('the image to copy; with `tags`, the repository to copy them from'),
  destination: locationField.describe(
    "where it goes; without a tag the source's tag is kept; with `tags`, the repository to copy them to",
  ),
  tags: z
    .array(tagField)
    .optional()
    .describe('copy these tags of the source repository (an empty list copies nothing)'),
  referrers: z
    .boolean()
    .default(false)
    .describe("also copy referrers (signatures, SBOMs, attestations) and cosign's tags"),
  platforms: z
    .array(platformField)
    .min(1)
    .optional()
    .describe('copy only these platforms (a filtered index, with a new digest, is written)'),
  force: z.boolean().default(false).describe('transfer even what the destination already has'),
});
export type CopyInput = z.infer<typeof CopyInput>;

const CopyStatsOutput = z.object({
  blobsCopied: z.number(),
  blobsMounted: z.number(),
  blobsExisting: z.number(),
  bytesCopied: z.number(),
  manifestsCopied: z.number(),
  manifestsExisting: z.number(),
  referrersCopied: z.number(),
  foreignLayersSkipped: z.number(),
});

const CopyImageOutput = z.object({
  source: z.string(),
  destination: z.string(),
  digest: z.string(),
  mediaType: z.string(),
  /** `skipped`: the destination already had the digest. */
  status: z.enum(['copied', 'skipped']),
  filtered: z.object({ sourceDigest: z.string(), platforms: z.array(z.string()) }).optional(),
  referrers: z.number(),
  stats: CopyStatsOutput,
});

export const CopyOutput = z.object({
  /** Digests now at the destination, one per distinct image, in input order. */
  digests: z.array(z.string()),
  results: z.array(CopyImageOutput),
});
export type CopyOutput = z.infer<typeof CopyOutput>;

interface CopyPair {
  source: TargetSpec;
  destination: TargetSpec;
}

/**
 * `oci/copy@v1`: mirrors one image, or several tags of one repository, digest-preserving
 * and idempotent (an image the destination already has is skipped), so that a step re-run
 * after a crash only finishes what is missing. Queued per source registry, so that upstream
 * quotas (Docker Hub's anonymous pulls) hold across all workers.
 */
export const copyAction: ActionDefinition<CopyInput, CopyOutput> = defineAction({
  name: 'oci/copy',
  version: 'v1',
  description:
    'Copy an image (or several tags of a repository) with all platforms and, optionally, its referrers.',
  input: CopyInput,
  output: CopyOutput,
  queue: (input) => {
    const registry = registryOfLocation(input.source);
    return registry === undefined ? undefined : `registry:${registry}`;
  },
  run: runCopy,
});

async function runCopy(input: CopyInput, context: ActionContext): Promise<CopyOutput> {
  const pairs = planCopies(input, context);
  if (pairs.length === 0) {
    context.logger.info({ source: input.source }, 'no tags to copy');
    return { digests: [], results: [] };
  }
  const targets = new TargetCache(context);
  const items = await Promise.all(pairs.map((pair) => openPair(pair, targets, context.signal)));
  const copier = new Copier({
    logger: context.logger,
    onEvent: progressOf(context, items.length),
    hints: blobLocationHints(context),
  });
  const outcomes = await copier.copyMany(items, {
    referrers: input.referrers,
    force: input.force,
    signal: context.signal,
    ...(input.platforms ? { platforms: input.platforms.map(parsePlatform) } : {}),
  });
  throwIfAborted(context.signal);
  const results: CopyOutput['results'] = [];
  const failures: { source: string; destination: string; error: AppError }[] = [];
  for (const outcome of outcomes) {
    if ('result' in outcome) results.push(imageOutput(outcome.result, context));
    else failures.push({ ...describePair(outcome.item), error: outcome.error as AppError });
  }
  if (failures.length > 0) throw copyFailure(failures, outcomes.length, results);
  return { digests: [...new Set(results.map((r) => r.digest))], results };
}

function planCopies(input: CopyInput, context: ActionContext): CopyPair[] {
  const source = parseLocation(input.source, context, 'source');
  const destination = parseLocation(input.destination, context, 'destination');
  if (destination.kind === 'remote' && destination.reference.digest !== undefined) {
    throw invalidInput(
      `destination: "${input.destination}" names a digest; give a repository or a tag (the digest is kept anyway)`,
      { field: 'destination' },
    );
  }
  if (input.tags === undefined) return [{ source, destination }];
  requireRepository(source, input.source, 'source');
  requireRepository(destination, input.destination, 'destination');
  return [...new Set(input.tags)].map((tag) => ({
    source: locationWithTag(source, tag),
    destination: locationWithTag(destination, tag),
  }));
}

async function openPair(pair: CopyPair, targets: TargetCache, signal: AbortSignal): Promise<CopyItem> {
  const source = await targets.open(pair.source);
  const from = await imageReference(pair.source, source, signal);
  const destination = await targets.open(pair.destination, { create: true });
  const tag = pair.destination.kind === 'remote' ? pair.destination.reference.tag : pair.destination.tag;
  const item: CopyItem = { source, reference: from.reference, destination };
  const destinationTag = tag ?? from.tag;
  if (destinationTag !== undefined) item.tag = destinationTag;
  return item;
}

function imageOutput(result: CopyResult, context: ActionContext): CopyOutput['results'][number] {
  const status = result.status === 'skipped' ? 'skipped' : 'copied';
  context.logger.info(
    {
      source: result.source,
      destination: result.destination,
      digest: result.digest,
      status,
      bytes: result.stats.bytesCopied,
      blobsCopied: result.stats.blobsCopied,
      blobsMounted: result.stats.blobsMounted,
      blobsExisting: result.stats.blobsExisting,
      referrers: result.referrers.length,
    },
    status === 'copied' ? 'image copied' : 'image already at the destination',
  );
  const output: CopyOutput['results'][number] = {
    source: result.source,
    destination: result.destination,
    digest: result.digest,
    mediaType: result.mediaType,
    status,
    referrers: result.referrers.length,
    stats: { ...result.stats },
  };
  if (result.filtered) output.filtered = { ...result.filtered };
  return output;
}

function describePair(item: CopyItem): { source: string; destination: string } {
  return {
    source: describeTarget(item.source.location, item.reference),
    destination: describeTarget(item.destination.location, item.tag),
  };
}

/** At most this many failed images are spelled out in the step's error message. */
const MAX_LISTED_FAILURES = 3;

function copyFailure(
  failures: { source: string; destination: string; error: AppError }[],
  total: number,
  copied: CopyOutput['results'],
): ActionFailure {
  const listed = failures
    .slice(0, MAX_LISTED_FAILURES)
    .map((f) => `${f.source} → ${f.destination}: ${f.error.message}`)
    .join('; ');
  const more =
    failures.length > MAX_LISTED_FAILURES ? ` (and ${failures.length - MAX_LISTED_FAILURES} more)` : '';
  const head = total === 1 ? 'copy failed' : `${failures.length} of ${total} images failed to copy`;
  // A retry helps only if every failure may pass next time; copied images are skipped then.
  return new ActionFailure(
    `${head}: ${listed}${more}`,
    failures.every((f) => f.error.retryable),
    {
      code: failures[0]!.error.code,
      failures: failures.map((f) => ({
        source: f.source,
        destination: f.destination,
        code: f.error.code,
        message: f.error.message,
        ...(typeof f.error.details.retryAfterMs === 'number'
          ? { retryAfterMs: f.error.details.retryAfterMs }
          : {}),
      })),
      copied: copied.map((r) => ({ destination: r.destination, digest: r.digest })),
    },
    { cause: failures[0]!.error },
  );
}

function progressOf(context: ActionContext, total: number): (event: CopyEvent) => void {
  let done = 0;
  return (event) => {
    if (event.type !== 'image-done' && event.type !== 'image-failed') return;
    done++;
    const message =
      event.type === 'image-done'
        ? `${event.result.source} → ${event.result.destination}`
        : `${event.source} → ${event.destination} failed`;
    context.progress({ message, current: done, total, unit: 'images' });
  };
}
