import { OciError } from '../../kernel/index.js';
import { referrersFallbackTag as fallbackTag } from '../ref/index.js';
import { MediaType, normalizeMediaType } from '../mediatype/index.js';
import {
  type Descriptor,
  type ImageIndex,
  encodeManifest,
  parseManifest,
  toIndexEntry,
} from '../manifest/index.js';
import { nextLink } from './link.js';
import { fetchManifest, putManifest } from './manifests.js';
import { type RepositoryContext, pullScopes, v2Path } from './repository-context.js';
import { discard, header, readText } from './transport.js';

/** Largest referrers page we read; pages are indexes of descriptors, a few KiB each. */
const MAX_REFERRERS_PAGE_BYTES = 4 * 1024 * 1024;

/**
 * Lists referrers of `subject`: the Referrers API when the registry has it, the fallback
 * tag otherwise. Support is detected on first use (a `404` on the referrers endpoint means
 * no API) and remembered for the registry. An `artifactType` filter the registry did not
 * apply (no `OCI-Filters-Applied: artifactType`) is applied here.
 */
export async function listReferrers(
  ctx: RepositoryContext,
  subject: Descriptor,
  artifactType: string | undefined,
  signal?: AbortSignal,
): Promise<Descriptor[]> {
  let found: Descriptor[] | undefined;
  if (ctx.referrersApi.get() !== false) {
    found = await listFromApi(ctx, subject, artifactType, signal);
    if (found !== undefined) ctx.referrersApi.set(true);
    else ctx.referrersApi.set(false);
  }
  const all = found ?? (await readFallbackIndex(ctx, subject.digest, signal)).manifests;
  return artifactType === undefined ? all : all.filter((d) => d.artifactType === artifactType);
}

async function listFromApi(
  ctx: RepositoryContext,
  subject: Descriptor,
  artifactType: string | undefined,
  signal?: AbortSignal,
): Promise<Descriptor[] | undefined> {
  const query = artifactType ? `?${new URLSearchParams({ artifactType })}` : '';
  let path: string | undefined = `${v2Path(ctx, `referrers/${subject.digest}`)}${query}`;
  const out: Descriptor[] = [];
  while (path) {
    const response = await ctx.transport.send({
      method: 'GET',
      path,
      headers: { accept: MediaType.OciIndex },
      scopes: pullScopes(ctx),
      context: { registry: ctx.registry, repository: ctx.repository, digest: subject.digest },
      // 404 (no such route) and 400/405 (route taken by something else) mean "no Referrers API".
      accept: [400, 404, 405],
      signal,
    });
    const type = normalizeMediaType(header(response.headers, 'content-type'));
    if (
      response.status !== 200 ||
      (type !== undefined && type !== MediaType.OciIndex && type !== 'application/json')
    ) {
      await discard(response.body);
      if (out.length === 0) return undefined;
      throw new OciError(
        'OCI_PROTOCOL_ERROR',
        `referrers page of ${subject.digest} answered ${response.status}`,
        { registry: ctx.registry, repository: ctx.repository },
      );
    }
    const text = await readText(response.body, MAX_REFERRERS_PAGE_BYTES);
    const page = parseReferrersIndex(text, ctx, subject.digest);
    out.push(...page);
    path = nextLink(response.headers.link, response.url)?.toString();
    if (path && new URL(path).origin !== ctx.transport.origin.origin) path = undefined;
  }
  return out;
}

function parseReferrersIndex(text: string, ctx: RepositoryContext, subject: string): Descriptor[] {
  try {
    const manifest = parseManifest(Buffer.from(text), {
      mediaType: MediaType.OciIndex,
      source: `referrers of ${subject}`,
    });
    if (manifest.kind !== 'index') throw new Error('not an index');
    return manifest.index.manifests;
  } catch (error) {
    throw new OciError(
      'OCI_PROTOCOL_ERROR',
      `${ctx.registry}/${ctx.repository}: referrers of ${subject} are not a valid image index: ${(error as Error).message}`,
      { registry: ctx.registry, repository: ctx.repository, digest: subject },
    );
  }
}

/** The fallback index of a subject, or an empty one when the tag does not exist. */
export async function readFallbackIndex(
  ctx: RepositoryContext,
  subjectDigest: string,
  signal?: AbortSignal,
): Promise<ImageIndex> {
  try {
    const manifest = await fetchManifest(ctx, fallbackTag(subjectDigest), signal);
    if (manifest.kind === 'index') return manifest.index;
    throw new OciError(
      'OCI_PROTOCOL_ERROR',
      `tag ${fallbackTag(subjectDigest)} in ${ctx.repository} is not an index; it cannot hold referrers`,
      { registry: ctx.registry, repository: ctx.repository },
    );
  } catch (error) {
    if (error instanceof OciError && error.code === 'OCI_MANIFEST_UNKNOWN') return emptyIndex();
    throw error;
  }
}

/** Attempts of the read-modify-write of a fallback index when a concurrent writer overwrote ours. */
const FALLBACK_UPDATE_ATTEMPTS = 3;

/**
 * Adds (or, with `remove`, drops) a referrer in its subject's fallback index: read, modify,
 * write, then read back to confirm — another client may have written the tag in between,
 * in which case the update is redone. The tag schema cannot be made fully atomic; this makes
 * a lost update unlikely rather than impossible (documented in docs/decisions).
 */
export async function updateFallbackIndex(
  ctx: RepositoryContext,
  subjectDigest: string,
  referrer: Descriptor,
  mode: 'add' | 'remove',
  signal?: AbortSignal,
): Promise<void> {
  // Within this process, updates of one index wait for each other; the read-back below
  // handles other writers.
  const key = `${ctx.registry}/${ctx.repository}@${subjectDigest}`;
  await ctx.updates.run(key, () => updateOnce(ctx, subjectDigest, referrer, mode, signal));
}

async function updateOnce(
  ctx: RepositoryContext,
  subjectDigest: string,
  referrer: Descriptor,
  mode: 'add' | 'remove',
  signal?: AbortSignal,
): Promise<void> {
  const tag = fallbackTag(subjectDigest);
  for (let attempt = 1; attempt <= FALLBACK_UPDATE_ATTEMPTS; attempt++) {
    const current = await readFallbackIndex(ctx, subjectDigest, signal);
    const others = current.manifests.filter((d) => d.digest !== referrer.digest);
    const manifests = mode === 'add' ? [...others, toIndexEntry(referrer)] : others;
    if (mode === 'add' && others.length < current.manifests.length) return; // already listed
    if (mode === 'remove' && others.length === current.manifests.length) return; // not listed
    const next = encodeManifest({ ...current, schemaVersion: 2, mediaType: MediaType.OciIndex, manifests });
    await putManifest(ctx, next, tag, signal);
    const check = await readFallbackIndex(ctx, subjectDigest, signal);
    const listed = check.manifests.some((d) => d.digest === referrer.digest);
    if (listed === (mode === 'add')) return;
    ctx.logger.debug(
      { registry: ctx.registry, repository: ctx.repository, tag, attempt },
      'fallback referrers index changed concurrently; retrying',
    );
  }
  throw new OciError(
    'OCI_REGISTRY_ERROR',
    `could not update referrers tag ${tag} in ${ctx.repository}: it kept changing concurrently`,
    { registry: ctx.registry, repository: ctx.repository, retryAfterMs: 1000 },
  );
}

function emptyIndex(): ImageIndex {
  return { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [] };
}
