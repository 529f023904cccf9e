import {
  AppError,
  SUPPORTED_ALGORITHMS,
  digestOf,
  isDigest,
  redactText,
  type Digest,
} from '../../kernel/index.js';
import {
  NAME_TOTAL_LENGTH_MAX,
  PATH_COMPONENT_PATTERN,
  PATH_COMPONENT_RULE,
  TAG_RULE,
  isValidTag,
} from './grammar.js';
import { DOCKER_HUB, canonicalRegistry, registryHostProblem } from './registry.js';

/** A repository, normalised: canonical lowercase registry and full path (`library/` included). */
export interface RepositoryName {
  registry: string;
  repository: string;
}

/** An image reference, normalised; both `tag` and `digest` are kept when both were written. */
export interface ImageReference extends RepositoryName {
  tag?: string;
  digest?: Digest;
}

/** The tag Docker asks for when a reference names neither a tag nor a digest. */
export const DEFAULT_TAG = 'latest';

/** Docker Hub's namespace for official images: `python` is `docker.io/library/python`. */
const OFFICIAL_NAMESPACE = 'library/';

/** Prefix skopeo and regctl users write for registry references; accepted and ignored. */
const DOCKER_TRANSPORT = 'docker://';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const IMAGE_ID = /^[a-f0-9]{64}$/;

type ReferencePart = 'reference' | 'registry' | 'repository' | 'tag' | 'digest';

/**
 * Parses an image reference and normalises it the way Docker and containerd do
 * (distribution/reference ParseNormalizedNamed): the first component is a registry only
 * when it contains "." or ":", is `localhost` or a bracketed IPv6 address; otherwise the
 * image is on Docker Hub, where single-component names live under `library/`.
 *
 * One deliberate difference: distribution/reference also takes a first component with
 * uppercase letters for a host (`MyOrg/app`); that is almost always a mistyped Docker Hub
 * namespace, so it is rejected here as a non-lowercase repository instead of silently
 * sending requests to a host named `myorg`.
 */
export function parseReference(text: string): ImageReference {
  const input = text.startsWith(DOCKER_TRANSPORT) ? text.slice(DOCKER_TRANSPORT.length) : text;
  checkShape(input, text);
  const at = input.indexOf('@');
  const named = at < 0 ? input : input.slice(0, at);
  const digest = at < 0 ? undefined : checkDigest(input.slice(at + 1), text);
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  // Without a "/", a bracketed IPv6 host has nothing after it; its colons are not a tag.
  const hasTag = colon > slash && !(slash < 0 && named.startsWith('['));
  const name = hasTag ? named.slice(0, colon) : named;
  const tag = hasTag ? checkTag(named.slice(colon + 1), text) : undefined;
  const ref: ImageReference = parseName(name, text);
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** Parses a repository name (`[REGISTRY/]PATH`, normalised like {@link parseReference}); a tag or digest is an error. */
export function parseRepository(text: string): RepositoryName {
  const ref = parseReference(text);
  if (ref.tag !== undefined || ref.digest !== undefined) {
    const extra = ref.digest !== undefined ? `digest "@${ref.digest}"` : `tag ":${ref.tag}"`;
    throw invalid(
      text,
      ref.digest !== undefined ? 'digest' : 'tag',
      `${quote(text)} names an image, not a repository: remove the ${extra}`,
    );
  }
  return repositoryOf(ref);
}

/** The canonical form, e.g. `docker.io/library/python:3.12@sha256:…`; stable under re-parsing. */
export function formatReference(ref: ImageReference): string {
  return formatRepository(ref) + suffixOf(ref);
}

/** The canonical repository name, e.g. `docker.io/library/python`. */
export function formatRepository(ref: RepositoryName): string {
  return `${ref.registry}/${ref.repository}`;
}

/**
 * Docker's short form (distribution/reference FamiliarString): `python:3.12`, `user/app`,
 * `ghcr.io/o/i:t`. Keeps as much of the prefix as is needed for the short form to parse
 * back to the same reference (e.g. `docker.io/foo.bar/app`, whose first component looks like a host).
 */
export function familiarReference(ref: ImageReference): string {
  if (ref.registry !== DOCKER_HUB) return formatReference(ref);
  const suffix = suffixOf(ref);
  const path = ref.repository;
  const slash = path.indexOf('/');
  if (slash >= 0 && isHostComponent(path.slice(0, slash))) return formatReference(ref);
  const official = path.startsWith(OFFICIAL_NAMESPACE) ? path.slice(OFFICIAL_NAMESPACE.length) : undefined;
  if (official !== undefined && !official.includes('/') && !isBareIdentifier(official + suffix)) {
    return official + suffix;
  }
  return path + suffix;
}

/** What to ask the registry for: the digest when pinned, else the tag, else `latest`. */
export function referenceTarget(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? DEFAULT_TAG;
}

/** The repository of a reference, without tag and digest. */
export function repositoryOf(ref: RepositoryName): RepositoryName {
  return { registry: ref.registry, repository: ref.repository };
}

/** The same repository with another tag; a digest is kept, as distribution/reference WithTag does. */
export function withTag(ref: ImageReference, tag: string): ImageReference {
  if (!isValidTag(tag)) throw new AppError('OCI_REFERENCE_INVALID', `invalid tag ${quote(tag)}: ${TAG_RULE}`);
  const out: ImageReference = { ...repositoryOf(ref), tag };
  if (ref.digest !== undefined) out.digest = ref.digest;
  return out;
}

/** The same repository pinned to a digest; a tag is kept, as distribution/reference WithDigest does. */
export function withDigest(ref: ImageReference, digest: Digest): ImageReference {
  if (!isDigest(digest)) {
    throw new AppError('OCI_REFERENCE_INVALID', `invalid digest ${quote(digest)}: ${digestRule(digest)}`);
  }
  const out: ImageReference = repositoryOf(ref);
  if (ref.tag !== undefined) out.tag = ref.tag;
  out.digest = digest;
  return out;
}

/** Whether a first name component names a registry host rather than a Docker Hub namespace. */
export function isHostComponent(component: string): boolean {
  return /[.:]/.test(component) || component.toLowerCase() === 'localhost' || component.startsWith('[');
}

function suffixOf(ref: ImageReference): string {
  return (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}

/** Inputs Docker refuses as names because they are image IDs or digests, not repositories. */
function isBareIdentifier(text: string): boolean {
  return IMAGE_ID.test(text) || isDigest(text);
}

function checkShape(input: string, text: string): void {
  if (input === '') {
    throw invalid(
      text,
      'reference',
      'empty image reference: expected [REGISTRY/]REPOSITORY[:TAG][@DIGEST], e.g. docker.io/library/python:3.12',
    );
  }
  if (/\s/.test(input)) {
    throw invalid(text, 'reference', `invalid reference ${quote(text)}: it contains whitespace`);
  }
  const scheme = SCHEME.exec(input);
  if (scheme) {
    throw invalid(
      text,
      'reference',
      `invalid reference ${quote(text)}: "${scheme[1]}://" is not part of an image reference; write it without a scheme, e.g. ghcr.io/owner/image:tag`,
    );
  }
  if (IMAGE_ID.test(input)) {
    throw invalid(
      text,
      'repository',
      `invalid reference ${quote(text)}: a 64-character hex string is an image ID, not a repository name`,
    );
  }
  if (isDigest(input)) {
    throw invalid(
      text,
      'repository',
      `invalid reference ${quote(text)}: a digest alone is not a reference; write REPOSITORY@${input}`,
    );
  }
}

function checkDigest(digest: string, text: string): Digest {
  if (digest === '') {
    throw invalid(
      text,
      'digest',
      `invalid reference ${quote(text)}: "@" must be followed by a digest, e.g. @sha256:<64 hex digits>`,
    );
  }
  if (!isDigest(digest)) {
    throw invalid(
      text,
      'digest',
      `invalid digest ${quote(digest)} in reference ${quote(text)}: ${digestRule(digest)}`,
    );
  }
  return digest;
}

function checkTag(tag: string, text: string): string {
  if (tag === '') {
    throw invalid(text, 'tag', `invalid reference ${quote(text)}: ":" must be followed by a tag`);
  }
  if (!isValidTag(tag)) {
    throw invalid(text, 'tag', `invalid tag ${quote(tag)} in reference ${quote(text)}: ${TAG_RULE}`);
  }
  return tag;
}

function parseName(name: string, text: string): RepositoryName {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasHost = slash >= 0 && isHostComponent(first);
  if (hasHost) {
    const problem = registryHostProblem(first);
    if (problem !== undefined) {
      throw invalid(
        text,
        'registry',
        `invalid registry host ${quote(first)} in reference ${quote(text)}: ${problem}`,
      );
    }
  } else if (name.startsWith('[')) {
    throw invalid(
      text,
      'repository',
      `invalid reference ${quote(text)}: a registry host must be followed by "/REPOSITORY"`,
    );
  }
  const registry = hasHost ? canonicalRegistry(first) : DOCKER_HUB;
  let path = hasHost ? name.slice(slash + 1) : name;
  if (path === '') {
    throw invalid(text, 'repository', `invalid reference ${quote(text)}: the repository name is missing`);
  }
  checkPath(path, text);
  if (registry === DOCKER_HUB && !path.includes('/')) path = OFFICIAL_NAMESPACE + path;
  const full = `${registry}/${path}`;
  if (full.length > NAME_TOTAL_LENGTH_MAX) {
    throw invalid(
      text,
      'repository',
      `invalid reference ${quote(text)}: the name ${quote(full)} is ${full.length} characters; registry and repository together may have at most ${NAME_TOTAL_LENGTH_MAX}`,
    );
  }
  return { registry, repository: path };
}

function checkPath(path: string, text: string): void {
  for (const component of path.split('/')) {
    if (PATH_COMPONENT_PATTERN.test(component)) continue;
    const prefix = `invalid repository ${quote(path)} in reference ${quote(text)}`;
    if (component === '') {
      throw invalid(
        text,
        'repository',
        `${prefix}: path components must not be empty (no leading, trailing or doubled "/")`,
      );
    }
    if (PATH_COMPONENT_PATTERN.test(component.toLowerCase())) {
      throw invalid(text, 'repository', `${prefix}: repository names must be lowercase`);
    }
    throw invalid(
      text,
      'repository',
      `${prefix}: component ${quote(component)} is not valid; ${PATH_COMPONENT_RULE}`,
    );
  }
}

/** Hex length of each supported algorithm's digests, derived rather than restated. */
const HEX_LENGTH: Record<string, number> = Object.fromEntries(
  SUPPORTED_ALGORITHMS.map((algorithm) => [algorithm, digestOf('', algorithm).length - algorithm.length - 1]),
);

/** Why a string is not a supported digest, in words a user can act on. */
export function digestRule(digest: string): string {
  const colon = digest.indexOf(':');
  if (colon <= 0) return 'expected ALGORITHM:HEX, e.g. sha256:<64 hex digits>';
  const algorithm = digest.slice(0, colon);
  const length = HEX_LENGTH[algorithm];
  if (length === undefined) {
    return `unsupported digest algorithm ${quote(algorithm)}; supported are ${SUPPORTED_ALGORITHMS.join(', ')}`;
  }
  return `a ${algorithm} digest is "${algorithm}:" followed by ${length} lowercase hex digits`;
}

function invalid(text: string, part: ReferencePart, message: string): AppError {
  return new AppError('OCI_REFERENCE_INVALID', message, {
    details: { reference: redactText(clip(text)), part },
  });
}

/** A value quoted for an error message: control characters escaped, long values shortened. */
export function quote(value: string): string {
  return JSON.stringify(clip(value));
}

function clip(value: string): string {
  return value.length > 300 ? `${value.slice(0, 297)}...` : value;
}
