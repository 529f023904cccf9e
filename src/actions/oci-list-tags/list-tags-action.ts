import { z } from 'zod';
import type { ActionContext, ActionDefinition } from '../../engine/actions/contract.js';
import { isAttachmentTag } from '../../oci/ref/index.js';
import { selectTags } from '../../oci/tags/index.js';
import { defineAction } from '../support/define-action.js';
import {
  describeLocation,
  openTarget,
  parseLocation,
  registryOfLocation,
  requireRepository,
} from '../support/oci-locations.js';
import { locationField } from '../support/schemas.js';

const patterns = z.union([z.string(), z.array(z.string())]);

export const ListTagsInput = z.strictObject({
  repository: locationField.describe('the repository (no tag, no digest)'),
  include: patterns.optional().describe('keep tags matching any of these regular expressions, e.g. ^3\\.12'),
  exclude: patterns.optional().describe('then drop tags matching any of these'),
  semver: z
    .string()
    .min(1)
    .optional()
    .describe('then keep tags whose version satisfies this range, e.g. ">=22 <27"'),
  prerelease: z.boolean().default(false).describe('whether the semver range admits pre-releases'),
  latest: z.int().min(1).optional().describe('then keep the newest N, newest first'),
  attachments: z
    .boolean()
    .default(false)
    .describe("keep attachment tags (cosign's sha256-….sig, referrers fallback indexes)"),
});
export type ListTagsInput = z.infer<typeof ListTagsInput>;

export const ListTagsOutput = z.object({
  /** The repository, canonical (`docker.io/library/node`), to build references from. */
  repository: z.string(),
  tags: z.array(z.string()),
});
export type ListTagsOutput = z.infer<typeof ListTagsOutput>;

/**
 * `oci/list-tags@v1`: the tags of a repository, filtered as mirroring tools are configured
 * (regular expressions, a semver range, the newest N). Queued per registry: a tag listing
 * counts against upstream quotas too.
 */
export const listTagsAction: ActionDefinition<ListTagsInput, ListTagsOutput> = defineAction({
  name: 'oci/list-tags',
  version: 'v1',
  description: 'List the tags of a repository, filtered by regular expressions, a semver range and latest-N.',
  input: ListTagsInput,
  output: ListTagsOutput,
  queue: (input) => {
    const registry = registryOfLocation(input.repository);
    return registry === undefined ? undefined : `registry:${registry}`;
  },
  run: runListTags,
});

async function runListTags(input: ListTagsInput, context: ActionContext): Promise<ListTagsOutput> {
  const spec = requireRepository(
    parseLocation(input.repository, context, 'repository'),
    input.repository,
    'repository',
  );
  const target = await openTarget(spec, context);
  const all: string[] = [];
  for await (const tag of target.listTags({ signal: context.signal })) {
    if (input.attachments || !isAttachmentTag(tag)) all.push(tag);
  }
  const tags = selectTags(all, {
    include: list(input.include),
    exclude: list(input.exclude),
    includePrerelease: input.prerelease,
    ...(input.semver === undefined ? {} : { semver: input.semver }),
    ...(input.latest === undefined ? {} : { latest: input.latest }),
  });
  const repository = describeLocation(spec);
  const { registry, repository: path } = target.location;
  context.logger.info(
    { registry, repository: path, listed: all.length, selected: tags.length },
    'tags listed',
  );
  // Registries answer NAME_UNKNOWN for a repository with no tags; the listing reads it as empty.
  if (all.length === 0)
    context.logger.warn({ registry, repository: path }, 'repository has no tags or does not exist');
  return { repository, tags };
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}
