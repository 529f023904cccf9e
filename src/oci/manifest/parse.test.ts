import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError, digestOf } from '../../kernel/index.js';
import { MediaType } from '../mediatype/index.js';
import { digestArb } from '../ref/testing/arbitraries.js';
import { EMPTY_CONFIG, encodeManifest } from './build.js';
import { parseManifest } from './parse.js';
import type { Descriptor, ImageIndex, ImageManifest, Manifest, Platform } from './types.js';

const encoder = new TextEncoder();
const bytesOf = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;

function layer(digest = D2, size = 100): Descriptor {
  return { mediaType: MediaType.OciLayerGzip, digest, size };
}

function ociImage(extra: Partial<ImageManifest> = {}): ImageManifest {
  return {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: MediaType.OciConfig, digest: D1, size: 10 },
    layers: [layer()],
    ...extra,
  };
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the manifest to be refused');
}

describe('parseManifest: what it accepts', () => {
  it('parses an OCI image manifest without touching its bytes', () => {
    // Formatting and key order a registry might serve: the digest is of these exact bytes.
    const text = `{\n  "schemaVersion": 2,\n  "mediaType": "${MediaType.OciManifest}",\n  "layers": [],\n  "config": {"size": 10, "digest": "${D1}", "mediaType": "${MediaType.OciConfig}"}\n}\n`;
    const bytes = encoder.encode(text);
    const manifest = parseManifest(bytes);
    expect(manifest.kind).toBe('image');
    expect(manifest.bytes).toBe(bytes);
    expect(new TextDecoder().decode(manifest.bytes)).toBe(text);
    expect(manifest.descriptor).toEqual({
      mediaType: MediaType.OciManifest,
      digest: digestOf(bytes),
      size: bytes.length,
    });
  });

  it('parses a Docker manifest list with platforms', () => {
    const list = {
      schemaVersion: 2,
      mediaType: MediaType.DockerManifestList,
      manifests: [
        {
          mediaType: MediaType.DockerManifest,
          digest: D1,
          size: 528,
          platform: { architecture: 'amd64', os: 'linux' },
        },
        {
          mediaType: MediaType.DockerManifest,
          digest: D2,
          size: 528,
          platform: { architecture: 'arm', os: 'linux', variant: 'v7' },
        },
      ],
    };
    const manifest = parseManifest(bytesOf(list), { mediaType: MediaType.DockerManifestList });
    expect(manifest.kind).toBe('index');
    expect(manifest.descriptor.mediaType).toBe(MediaType.DockerManifestList);
    if (manifest.kind === 'index') expect(manifest.index.manifests[1]!.platform?.variant).toBe('v7');
  });

  it('uses the given digest rather than computing one', () => {
    expect(parseManifest(bytesOf(ociImage()), { digest: D3 }).descriptor.digest).toBe(D3);
  });

  it('takes the media type from the field, then the declared type, then the shape', () => {
    const { mediaType: _omit, ...bare } = ociImage();
    expect(parseManifest(bytesOf(ociImage())).descriptor.mediaType).toBe(MediaType.OciManifest);
    expect(parseManifest(bytesOf(bare), { mediaType: MediaType.DockerManifest }).descriptor.mediaType).toBe(
      MediaType.DockerManifest,
    );
    expect(
      parseManifest(bytesOf(bare), { mediaType: `${MediaType.OciManifest}; charset=utf-8` }).descriptor
        .mediaType,
    ).toBe(MediaType.OciManifest);
    expect(parseManifest(bytesOf(bare)).descriptor.mediaType).toBe(MediaType.OciManifest);
    expect(parseManifest(bytesOf(bare), { mediaType: 'application/json' }).descriptor.mediaType).toBe(
      MediaType.OciManifest,
    );
    expect(parseManifest(bytesOf({ schemaVersion: 2, manifests: [] })).descriptor.mediaType).toBe(
      MediaType.OciIndex,
    );
  });

  it('accepts a declared type that is not a manifest type (application/json from a file server)', () => {
    expect(parseManifest(bytesOf(ociImage()), { mediaType: 'application/octet-stream' }).kind).toBe('image');
  });

  it('copies artifactType and annotations to the descriptor', () => {
    const annotations = { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' };
    const manifest = parseManifest(
      bytesOf(ociImage({ artifactType: 'application/vnd.example.sbom', config: EMPTY_CONFIG, annotations })),
    );
    expect(manifest.descriptor.artifactType).toBe('application/vnd.example.sbom');
    expect(manifest.descriptor.annotations).toEqual(annotations);
  });

  it('derives artifactType from the config media type of an artifact', () => {
    const config = { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: D1, size: 10 };
    expect(parseManifest(bytesOf(ociImage({ config }))).descriptor.artifactType).toBe(config.mediaType);
  });

  it('gives images no artifactType', () => {
    expect(parseManifest(bytesOf(ociImage())).descriptor.artifactType).toBeUndefined();
    const docker = ociImage({
      mediaType: MediaType.DockerManifest,
      config: { mediaType: MediaType.DockerConfig, digest: D1, size: 10 },
    });
    expect(parseManifest(bytesOf(docker)).descriptor.artifactType).toBeUndefined();
  });

  it('accepts a subject that names a manifest', () => {
    const subject = { mediaType: MediaType.OciManifest, digest: D3, size: 400 };
    const manifest = parseManifest(bytesOf(ociImage({ subject })));
    if (manifest.kind !== 'image') throw new Error('expected an image');
    expect(manifest.image.subject).toEqual(subject);
  });
});

describe('parseManifest: what it refuses', () => {
  it('refuses a manifest whose own mediaType contradicts the declared one', () => {
    const error = refusal(() =>
      parseManifest(bytesOf(ociImage()), { mediaType: MediaType.DockerManifest, source: 'ghcr.io/a/b:1' }),
    );
    expect(error.code).toBe('OCI_MANIFEST_INVALID');
    expect(error.message).toContain(`declares mediaType ${MediaType.OciManifest}`);
    expect(error.message).toContain(MediaType.DockerManifest);
    expect(error.message).toContain('(ghcr.io/a/b:1)');
    expect(refusal(() => parseManifest(bytesOf(ociImage()), { mediaType: MediaType.OciIndex })).code).toBe(
      'OCI_MANIFEST_INVALID',
    );
  });

  it('refuses Docker schema 1 by declared media type, by its own field, and by schemaVersion', () => {
    const schema1 = { schemaVersion: 1, name: 'library/busybox', tag: 'latest', fsLayers: [], history: [] };
    const cases: [Uint8Array, string | undefined][] = [
      [encoder.encode('not even JSON'), MediaType.DockerSchema1Signed],
      [bytesOf(schema1), `${MediaType.DockerSchema1}; charset=utf-8`],
      [bytesOf({ ...ociImage(), mediaType: MediaType.DockerSchema1Signed }), undefined],
      [bytesOf(schema1), undefined],
      [bytesOf(schema1), MediaType.DockerManifest],
    ];
    for (const [bytes, mediaType] of cases) {
      const error = refusal(() => parseManifest(bytes, { mediaType }));
      expect(error.code).toBe('OCI_MANIFEST_SCHEMA1_UNSUPPORTED');
      expect(error.message).toContain('schema 1');
    }
  });

  it('refuses other schema versions', () => {
    for (const schemaVersion of [3, '2', undefined]) {
      const error = refusal(() => parseManifest(bytesOf({ ...ociImage(), schemaVersion })));
      expect(error.code).toBe('OCI_MANIFEST_INVALID');
      expect(error.message).toContain('expected 2');
    }
  });

  it('refuses bytes that are not UTF-8', () => {
    const valid = bytesOf({ ...ociImage(), annotations: { note: 'x' } });
    const broken = Uint8Array.from(valid);
    broken[broken.indexOf('x'.charCodeAt(0), valid.length - 10)] = 0xff;
    const error = refusal(() => parseManifest(broken));
    expect(error.code).toBe('OCI_MANIFEST_INVALID');
    expect(error.message).toContain('not valid UTF-8 JSON');
  });

  it('refuses JSON that is not an object', () => {
    for (const text of ['[]', '"manifest"', 'null', '2', 'true']) {
      const error = refusal(() => parseManifest(encoder.encode(text)));
      expect(error.code).toBe('OCI_MANIFEST_INVALID');
      expect(error.message).toContain('must be a JSON object');
    }
    expect(refusal(() => parseManifest(encoder.encode('{"schemaVersion": 2,'))).message).toContain(
      'not valid UTF-8 JSON',
    );
  });

  it('refuses a non-string mediaType field and an unrecognisable shape', () => {
    expect(refusal(() => parseManifest(bytesOf({ ...ociImage(), mediaType: 7 }))).message).toContain(
      'field "mediaType" must be a string',
    );
    expect(refusal(() => parseManifest(bytesOf({ schemaVersion: 2, blobs: [] }))).message).toContain(
      'neither an index',
    );
  });

  it('refuses an unsupported manifest media type', () => {
    const error = refusal(() =>
      parseManifest(bytesOf({ ...ociImage(), mediaType: 'application/vnd.example+json' })),
    );
    expect(error.code).toBe('OCI_MEDIA_TYPE_UNSUPPORTED');
    expect(error.message).toContain('application/vnd.example+json');
  });

  it('names the JSON path of an invalid descriptor', () => {
    const layers = [layer(D1), layer(D2), { ...layer(D3), digest: 'sha256:abc' }];
    const cases: [unknown, string][] = [
      [ociImage({ layers: layers as Descriptor[] }), 'layers[2].digest'],
      [ociImage({ config: { mediaType: MediaType.OciConfig, digest: D1, size: -1 } }), 'config.size'],
      [ociImage({ config: { mediaType: MediaType.OciConfig, digest: D1, size: 1.5 } }), 'config.size'],
      [{ ...ociImage(), config: undefined }, 'config'],
      [{ ...ociImage(), layers: {} }, 'layers'],
      [ociImage({ subject: { digest: D1, size: 1 } as Descriptor }), 'subject.mediaType'],
      [{ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [layer(), 'x'] }, 'manifests[1]'],
      [{ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: {} }, 'manifests'],
      [{ schemaVersion: 2, manifests: [{ mediaType: '', digest: D1, size: 1 }] }, 'manifests[0].mediaType'],
      [{ ...ociImage(), config: { ...EMPTY_CONFIG, size: '2' } }, 'config.size'],
    ];
    for (const [value, path] of cases) {
      const error = refusal(() => parseManifest(bytesOf(value), { source: 'layout/index.json' }));
      expect(error.code, path).toBe('OCI_MANIFEST_INVALID');
      expect(error.message, path).toContain(`field "${path}"`);
      expect(error.message).toContain('(layout/index.json)');
      expect(error.details, path).toEqual({ field: path });
    }
  });
});

// Random valid manifests: what we encode must parse back to the same content and structure.

const keyArb = fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/);
const annotationsArb = fc.dictionary(keyArb, fc.string({ unit: 'grapheme', maxLength: 20 }), { maxKeys: 3 });
const mediaTypeArb = fc.constantFrom(
  MediaType.OciLayerGzip,
  MediaType.OciLayerZstd,
  MediaType.DockerLayerGzip,
  MediaType.OciLayerNondistributableGzip,
  'application/vnd.example.thing+json',
);
const platformArb: fc.Arbitrary<Platform> = fc.record(
  {
    os: fc.constantFrom('linux', 'windows'),
    architecture: fc.constantFrom('amd64', 'arm64', 'arm', 's390x'),
    variant: fc.constantFrom('v6', 'v7', 'v8'),
    'os.version': fc.constantFrom('10.0.20348.2582'),
  },
  { requiredKeys: ['os', 'architecture'] },
);
const descriptorArb = (mediaType: fc.Arbitrary<string>): fc.Arbitrary<Descriptor> =>
  fc.record(
    {
      mediaType,
      digest: digestArb,
      size: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
      annotations: annotationsArb,
      urls: fc.array(fc.webUrl(), { minLength: 1, maxLength: 2 }),
      artifactType: fc.constantFrom('application/vnd.example.sig', 'application/spdx+json'),
    },
    { requiredKeys: ['mediaType', 'digest', 'size'] },
  );
const subjectArb = descriptorArb(fc.constantFrom(MediaType.OciManifest));

const imageArb: fc.Arbitrary<ImageManifest> = fc
  .record({
    docker: fc.boolean(),
    withMediaType: fc.boolean(),
    config: descriptorArb(
      fc.constantFrom(MediaType.OciConfig, MediaType.OciEmpty, 'application/vnd.example.cfg'),
    ),
    layers: fc.array(descriptorArb(mediaTypeArb), { maxLength: 5 }),
    artifactType: fc.option(fc.constantFrom('application/vnd.example.report')),
    subject: fc.option(subjectArb),
    annotations: fc.option(annotationsArb),
  })
  .map(({ docker, withMediaType, config, layers, artifactType, subject, annotations }) => {
    if (docker) {
      return {
        schemaVersion: 2,
        mediaType: MediaType.DockerManifest,
        config: { ...config, mediaType: MediaType.DockerConfig },
        layers,
      } satisfies ImageManifest;
    }
    const image: ImageManifest = { schemaVersion: 2, config, layers };
    if (withMediaType) image.mediaType = MediaType.OciManifest;
    if (artifactType !== null) image.artifactType = artifactType;
    if (subject !== null) image.subject = subject;
    if (annotations !== null) image.annotations = annotations;
    return image;
  });

const indexArb: fc.Arbitrary<ImageIndex> = fc
  .record({
    docker: fc.boolean(),
    manifests: fc.array(
      fc.tuple(
        descriptorArb(fc.constantFrom(MediaType.OciManifest, MediaType.OciIndex)),
        fc.option(platformArb),
      ),
      { maxLength: 6 },
    ),
    subject: fc.option(subjectArb),
    annotations: fc.option(annotationsArb),
  })
  .map(({ docker, manifests, subject, annotations }) => {
    const entries = manifests.map(([d, platform]) => (platform === null ? d : { ...d, platform }));
    if (docker) return { schemaVersion: 2, mediaType: MediaType.DockerManifestList, manifests: entries };
    const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: entries };
    if (subject !== null) index.subject = subject;
    if (annotations !== null) index.annotations = annotations;
    return index;
  });

function structure(manifest: Manifest): ImageManifest | ImageIndex {
  return manifest.kind === 'index' ? manifest.index : manifest.image;
}

describe('parseManifest ∘ encodeManifest', () => {
  it('round-trips random valid manifests and indexes', () => {
    fc.assert(
      fc.property(fc.oneof(imageArb, indexArb), (value) => {
        const encoded = encodeManifest(value);
        const parsed = parseManifest(encoded.bytes, { mediaType: encoded.descriptor.mediaType });
        expect(parsed.kind).toBe(encoded.kind);
        expect(parsed.bytes).toEqual(encoded.bytes);
        expect(parsed.descriptor.digest).toBe(encoded.descriptor.digest);
        expect(parsed.descriptor.digest).toBe(digestOf(encoded.bytes));
        expect(parsed.descriptor.size).toBe(encoded.bytes.length);
        expect(parsed.descriptor.mediaType).toBe(encoded.descriptor.mediaType);
        expect(parsed.descriptor.annotations).toEqual(value.annotations);
        expect(structure(parsed)).toEqual(value);
        // Parsing without the declared type reaches the same media type (field or shape).
        expect(parseManifest(encoded.bytes).descriptor.mediaType).toBe(encoded.descriptor.mediaType);
      }),
      { numRuns: 200 },
    );
  });

  it('derives artifactType exactly when an artifact does not state one', () => {
    fc.assert(
      fc.property(imageArb, (image) => {
        const parsed = parseManifest(encodeManifest(image).bytes);
        const isImageConfig =
          image.config.mediaType === MediaType.OciConfig || image.config.mediaType === MediaType.DockerConfig;
        expect(parsed.descriptor.artifactType).toBe(
          image.artifactType ?? (isImageConfig ? undefined : image.config.mediaType),
        );
      }),
      { numRuns: 100 },
    );
  });
});
