import { AppError, toAppError } from '../kernel/index.js';
import {
  type BlobLocationHints,
  Copier,
  type CopyEvent,
  type CopyItem,
  type CopyOptions,
  type CopyResult,
  describeLocation,
} from '../oci/copy/index.js';
import { type TargetSpec, formatRepository, parseTargetSpec } from '../oci/ref/index.js';
import type { RegistrySession } from '../oci/remote/index.js';
import { LayoutStores } from '../oci/layout/index.js';
import { openDestination, openSource } from './registry-access.js';

export interface CopySpec {
  source: string;
  destination: string;
}

export interface CopyServiceOptions extends CopyOptions {
  session: RegistrySession;
  /** Blob transfers at once across all images. */
  concurrency?: number;
  /** Images copied at once. */
  imageConcurrency?: number;
  onEvent?: (event: CopyEvent) => void;
  /** Where blobs were seen in earlier runs (see `BlobLocationCache`): tried as mount sources. */
  hints?: BlobLocationHints;
}

export interface CopyReport {
  source: string;
  destination: string;
  result?: CopyResult;
  error?: AppError;
  /** `repository`: a sync source whose tags could not be listed (no image was tried). */
  scope?: 'image' | 'repository';
}

/**
 * Copies many images in one run: one session (pools, tokens) and one copier (blob
 * de-duplication, mounts, concurrency bound) for all of them. Every spec is parsed before
 * anything moves, so a typo in the fortieth line fails the run up front.
 */
export async function copyImages(specs: CopySpec[], options: CopyServiceOptions): Promise<CopyReport[]> {
  const parsed = specs.map((spec) => ({
    spec,
    source: parseTargetSpec(spec.source),
    destination: parseTargetSpec(spec.destination),
  }));
  const copier = new Copier({
    concurrency: options.concurrency,
    onEvent: options.onEvent,
    hints: options.hints,
  });
  const reports: CopyReport[] = specs.map((spec) => ({ ...spec }));
  const items: { item: CopyItem; index: number }[] = [];
  // Several images into (or out of) one layout share its store, so that no tag is lost.
  const layouts = new LayoutStores();
  await Promise.all(
    parsed.map(async ({ source, destination }, index) => {
      try {
        const from = await openSource(source, options.session, options.signal, layouts);
        const to = await openDestination(destination, options.session, from.tag, options.signal, layouts);
        items.push({
          item: { source: from.target, reference: from.reference, destination: to.target, tag: to.tag },
          index,
        });
      } catch (error) {
        reports[index]!.error = toAppError(error);
      }
    }),
  );
  const order = new Map(items.map(({ item, index }) => [item, index]));
  const outcomes = await copier.copyMany(
    items.map(({ item }) => item),
    { ...options, imageConcurrency: options.imageConcurrency },
  );
  for (const outcome of outcomes) {
    const report = reports[order.get(outcome.item)!]!;
    report.destination = describeLocation(outcome.item.destination.location, outcome.item.tag);
    if ('result' in outcome) report.result = outcome.result;
    else report.error = toAppError(outcome.error);
  }
  return reports;
}

/**
 * Where `--to PREFIX` sends a source: the prefix followed by the source's repository path
 * and tag (`docker.io/library/python:3.12` → `PREFIX/library/python:3.12`), the layout of
 * `skopeo sync --scoped` without the registry host.
 */
export function destinationUnder(prefix: string, source: string): string {
  const spec: TargetSpec = parseTargetSpec(source);
  if (spec.kind !== 'remote') {
    throw new AppError(
      'USAGE_INVALID',
      `--to needs registry sources; "${source}" is an OCI layout (give its destination explicitly)`,
    );
  }
  if (prefix.startsWith('oci:') || prefix.startsWith('ocidir://')) {
    throw new AppError(
      'USAGE_INVALID',
      `--to takes a registry prefix (e.g. localhost:5000/mirror), not an OCI layout "${prefix}"`,
    );
  }
  const path = formatRepository(spec.reference).split('/').slice(1).join('/');
  const base = `${prefix.replace(/\/+$/, '')}/${path}`;
  return spec.reference.tag ? `${base}:${spec.reference.tag}` : base;
}
