import { afterEach, beforeEach, describe } from 'vitest';
import type { Deleter, Target } from '../interfaces.js';
import { DEFAULT_MAX_MANIFEST_BYTES } from '../store-contract.js';
import { describeBlobConformance } from './conformance-blobs.js';
import { describeCancellationConformance } from './conformance-cancellation.js';
import { describeDeletionConformance } from './conformance-deletion.js';
import { describeManifestConformance } from './conformance-manifests.js';
import { describeReferrerConformance } from './conformance-referrers.js';
import { describeTagConformance } from './conformance-tags.js';

/** A fresh, empty store for one test, and how to dispose of it. */
export interface StoreUnderTest {
  store: Target & Deleter;
  cleanup(): Promise<void>;
}

export interface ContentStoreConformanceOptions {
  /** Whether the store can delete manifests and blobs (registries may refuse); default true. */
  supportsDelete?: boolean;
  /** The manifest size limit the store was made with; default 4 MiB. */
  maxManifestBytes?: number;
  /** Size of the blob streamed through push and fetch to show that nothing is buffered; default 50 MiB. */
  largeBlobBytes?: number;
}

/** What every group of the suite works with: the store of the running test and the resolved options. */
export interface ConformanceContext {
  readonly store: Target & Deleter;
  readonly options: Required<ContentStoreConformanceOptions>;
}

/**
 * The contract of a content store, as the copy engine relies on it, run as a vitest suite
 * against one implementation. Every implementation (memory, OCI layout, remote repositories
 * behind real registries) runs the same suite, as go-containerregistry's `validate` does;
 * it only asserts what the `Target`/`Deleter` contract promises, nothing store-specific.
 */
export function describeContentStoreConformance(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
  options: ContentStoreConformanceOptions = {},
): void {
  const resolved: Required<ContentStoreConformanceOptions> = {
    supportsDelete: options.supportsDelete ?? true,
    maxManifestBytes: options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES,
    largeBlobBytes: options.largeBlobBytes ?? 50 * 1024 * 1024,
  };
  describe(`content store conformance: ${name}`, () => {
    let current: StoreUnderTest | undefined;
    beforeEach(async () => {
      current = await makeStore();
    });
    afterEach(async () => {
      await current?.cleanup();
      current = undefined;
    });
    const context: ConformanceContext = {
      get store() {
        if (!current) throw new Error('the store is only available inside a test');
        return current.store;
      },
      options: resolved,
    };
    describeBlobConformance(context);
    describeManifestConformance(context);
    describeTagConformance(context);
    describeReferrerConformance(context);
    describeCancellationConformance(context);
    if (resolved.supportsDelete) describeDeletionConformance(context);
  });
}
