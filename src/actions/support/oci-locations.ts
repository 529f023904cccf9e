import type { ActionContext } from '../../engine/actions/contract.js';
import { AppError } from '../../kernel/index.js';
import type { Deleter, Target } from '../../oci/content/index.js';
import { LayoutStores } from '../../oci/layout/index.js';
import {
  type TargetSpec,
  DEFAULT_TAG,
  formatReference,
  formatRepository,
  parseTargetSpec,
  referenceTarget,
  withTag,
} from '../../oci/ref/index.js';
import { builtinRegistry, registrySession } from '../services.js';
import { invalidInput } from './failure.js';

/**
 * Image locations as workflows write them: registry references (`docker.io/library/node:22`,
 * `docker://…`), OCI image layouts (`oci:DIR[:TAG]`, `ocidir://DIR[:TAG]`), and
 * `builtin://PATH`, a repository of the Airlock registry this process runs.
 */
const BUILTIN_PREFIX = 'builtin://';

/** Parses a location; `field` names the input field in error messages. */
export function parseLocation(text: string, context: ActionContext, field: string): TargetSpec {
  if (!text.startsWith(BUILTIN_PREFIX)) return parseField(text, field);
  const builtin = builtinRegistry(context);
  if (!builtin) {
    throw invalidInput(
      `${field}: "${text}" names the built-in registry, which this process does not run; use the registry's address instead`,
      { field },
    );
  }
  const path = text.slice(BUILTIN_PREFIX.length).replace(/^\/+/, '');
  return parseField(`${builtin.address}/${path}`, field);
}

function parseField(text: string, field: string): TargetSpec {
  try {
    return parseTargetSpec(text);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    throw invalidInput(`${field}: ${error.message}`, { field, ...error.details });
  }
}

/** The canonical registry of a location, for queueing; undefined for layouts or unparsable text. */
export function registryOfLocation(text: string): string | undefined {
  if (text.startsWith(BUILTIN_PREFIX)) return undefined;
  try {
    const spec = parseTargetSpec(text);
    return spec.kind === 'remote' ? spec.reference.registry : undefined;
  } catch {
    return undefined;
  }
}

/** A location that names a repository only (no tag, no digest); `field` names the input field. */
export function requireRepository(spec: TargetSpec, text: string, field: string): TargetSpec {
  const named =
    spec.kind === 'remote' ? (spec.reference.tag ?? spec.reference.digest) : (spec.tag ?? spec.digest);
  if (named !== undefined) {
    throw invalidInput(`${field}: "${text}" names a tag or digest; give the repository only`, { field });
  }
  return spec;
}

/** The same repository (or layout) with `tag`. */
export function locationWithTag(spec: TargetSpec, tag: string): TargetSpec {
  return spec.kind === 'remote'
    ? { kind: 'remote', reference: withTag(spec.reference, tag) }
    : { kind: 'layout', path: spec.path, tag };
}

/** How a location is shown in logs, outputs and messages. */
export function describeLocation(spec: TargetSpec): string {
  if (spec.kind === 'remote') return formatReference(spec.reference);
  const suffix =
    (spec.tag !== undefined ? `:${spec.tag}` : '') + (spec.digest !== undefined ? `@${spec.digest}` : '');
  return `oci:${spec.path}${suffix}`;
}

/** Registry repositories and OCI layouts both read, write and delete. */
export type OpenedTarget = Target & Deleter;

export interface OpenTargetOptions {
  /** Create a missing OCI layout directory (for destinations). */
  create?: boolean;
}

/** Opens the repository or layout of a location; the registry session is asked for only when needed. */
export async function openTarget(
  spec: TargetSpec,
  context: ActionContext,
  options: OpenTargetOptions = {},
  layouts: LayoutStores = new LayoutStores(),
): Promise<OpenedTarget> {
  if (spec.kind === 'remote') return registrySession(context).repository(spec.reference);
  return layouts.open(spec.path, { create: options.create ?? false, signal: context.signal });
}

/**
 * Opens each repository or layout once per step. Two stores over one layout directory would
 * each rewrite its index.json and could lose each other's tags.
 */
export class TargetCache {
  private readonly opened = new Map<string, Promise<OpenedTarget>>();
  private readonly layouts = new LayoutStores();

  constructor(private readonly context: ActionContext) {}

  open(spec: TargetSpec, options: OpenTargetOptions = {}): Promise<OpenedTarget> {
    if (spec.kind === 'layout') return openTarget(spec, this.context, options, this.layouts);
    const key = formatRepository(spec.reference);
    let target = this.opened.get(key);
    if (!target) {
      target = openTarget(spec, this.context, options);
      this.opened.set(key, target);
    }
    return target;
  }
}

export interface ImageReference {
  /** The tag or digest to read. */
  reference: string;
  /** The tag the image was named by, if any (a copy's default destination tag). */
  tag?: string;
}

/**
 * The tag or digest a location names. A registry reference without either means `latest`,
 * as Docker has it; a layout without either must hold exactly one tagged image.
 */
export async function imageReference(
  spec: TargetSpec,
  target: OpenedTarget,
  signal: AbortSignal,
): Promise<ImageReference> {
  if (spec.kind === 'remote') {
    const { tag, digest } = spec.reference;
    const named = tag ?? (digest === undefined ? DEFAULT_TAG : undefined);
    return { reference: referenceTarget(spec.reference), ...(named === undefined ? {} : { tag: named }) };
  }
  if (spec.digest !== undefined) return { reference: spec.digest, ...(spec.tag ? { tag: spec.tag } : {}) };
  const tag = spec.tag ?? (await onlyTag(target, spec.path, signal));
  return { reference: tag, tag };
}

/** Opens the image a location names: its repository or layout, and the tag or digest to read. */
export async function openImage(
  spec: TargetSpec,
  context: ActionContext,
): Promise<ImageReference & { target: OpenedTarget }> {
  const target = await openTarget(spec, context);
  return { target, ...(await imageReference(spec, target, context.signal)) };
}

async function onlyTag(target: OpenedTarget, path: string, signal: AbortSignal): Promise<string> {
  const tags: string[] = [];
  for await (const tag of target.listTags({ signal })) {
    tags.push(tag);
    if (tags.length > 1) break;
  }
  if (tags.length === 1) return tags[0]!;
  throw invalidInput(
    tags.length === 0
      ? `OCI layout ${path} has no tagged image; name one with oci:${path}@sha256:…`
      : `OCI layout ${path} holds several tagged images; name one with oci:${path}:TAG`,
  );
}
