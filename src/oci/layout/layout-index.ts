import type { Digest } from '../../kernel/index.js';
import type { Descriptor, ImageIndex } from '../manifest/index.js';

/** image-spec v1.1 annotations.md: the name of a reference in an image layout's index.json. */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

/**
 * The content of `index.json`, as an immutable value: every change returns a new index,
 * so the store can write it first and adopt it only once it is on disk. Tags are entries
 * annotated with a ref name; an untagged entry keeps a pushed manifest reachable, as oras
 * does. Fields of index.json this class does not know are preserved.
 */
export class LayoutIndex {
  private constructor(readonly value: Readonly<ImageIndex>) {}

  static of(value: ImageIndex): LayoutIndex {
    return new LayoutIndex(value);
  }

  get entries(): readonly Descriptor[] {
    return this.value.manifests;
  }

  /** The entry a tag names; the first one when a foreign tool wrote duplicates. */
  findTag(tag: string): Descriptor | undefined {
    return this.entries.find((entry) => refNameOf(entry) === tag);
  }

  findDigest(digest: Digest): Descriptor | undefined {
    return this.entries.find((entry) => entry.digest === digest);
  }

  /** Every ref name, each once, in lexical (byte) order. */
  tags(): string[] {
    const names = new Set<string>();
    for (const entry of this.entries) {
      const name = refNameOf(entry);
      if (name !== undefined) names.add(name);
    }
    return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Points `tag` at `entry`: replaces the tag's previous entry and the manifest's untagged one. */
  withTag(entry: Descriptor, tag: string): LayoutIndex {
    const kept = this.entries.filter(
      (e) => refNameOf(e) !== tag && !(e.digest === entry.digest && refNameOf(e) === undefined),
    );
    const tagged: Descriptor = {
      ...entry,
      annotations: { ...withoutRefName(entry.annotations), [REF_NAME_ANNOTATION]: tag },
    };
    return this.with([...kept, tagged]);
  }

  /** Adds an untagged entry for a manifest that has no entry yet. */
  withUntagged(entry: Descriptor): LayoutIndex {
    if (this.findDigest(entry.digest)) return this;
    const untagged: Descriptor = { ...entry };
    const annotations = withoutRefName(entry.annotations);
    if (annotations) untagged.annotations = annotations;
    else delete untagged.annotations;
    return this.with([...this.entries, untagged]);
  }

  /** Drops the untagged entries of these manifests (they became reachable through an index). */
  withoutUntagged(digests: ReadonlySet<Digest>): LayoutIndex {
    const kept = this.entries.filter((e) => !(digests.has(e.digest) && refNameOf(e) === undefined));
    return kept.length === this.entries.length ? this : this.with(kept);
  }

  /** Drops every entry of a manifest, tagged or not. */
  withoutDigest(digest: Digest): LayoutIndex {
    const kept = this.entries.filter((e) => e.digest !== digest);
    return kept.length === this.entries.length ? this : this.with(kept);
  }

  private with(manifests: Descriptor[]): LayoutIndex {
    return new LayoutIndex({ ...this.value, manifests });
  }
}

export function refNameOf(entry: Descriptor): string | undefined {
  return entry.annotations?.[REF_NAME_ANNOTATION];
}

/** A descriptor's annotations without the ref name, or undefined when nothing else is left. */
export function withoutRefName(
  annotations: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!annotations) return undefined;
  const { [REF_NAME_ANNOTATION]: _ignored, ...rest } = annotations;
  return Object.keys(rest).length > 0 ? rest : undefined;
}
