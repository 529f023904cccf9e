import { describe, expect, it } from 'vitest';
import { digestOf } from '../../kernel/index.js';
import { type Manifest, parseManifest } from '../../oci/manifest/index.js';
import { findUnreachable } from './gc-reachability.js';

const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf('{}'), size: 2 };

function image(seed: string, subject?: Manifest): Manifest {
  const json = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config,
    layers: [],
    annotations: { seed },
    ...(subject
      ? {
          subject: {
            mediaType: subject.descriptor.mediaType,
            digest: subject.descriptor.digest,
            size: subject.descriptor.size,
          },
        }
      : {}),
  };
  return parseManifest(new TextEncoder().encode(JSON.stringify(json)));
}

function index(children: Manifest[]): Manifest {
  const json = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: children.map((c) => c.descriptor),
  };
  return parseManifest(new TextEncoder().encode(JSON.stringify(json)));
}

describe('findUnreachable', () => {
  it('keeps what tags reach through indexes and referrers, transitively', () => {
    const child = image('child');
    const root = index([child]);
    const sig = image('sig', root);
    const sigOfSig = image('sig-of-sig', sig);
    const orphan = image('orphan');
    const orphanSig = image('orphan-sig', orphan);
    const all = new Map([root, child, sig, sigOfSig, orphan, orphanSig].map((m) => [m.descriptor.digest, m]));
    const unreachable = findUnreachable(all, new Set([root.descriptor.digest]));
    expect(unreachable.sort()).toEqual([orphan.descriptor.digest, orphanSig.descriptor.digest].sort());
  });

  it('treats everything as unreachable without tags', () => {
    const one = image('one');
    expect(findUnreachable(new Map([[one.descriptor.digest, one]]), new Set())).toEqual([
      one.descriptor.digest,
    ]);
  });
});
