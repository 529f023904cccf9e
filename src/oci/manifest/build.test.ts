import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../kernel/index.js';
import { MediaType } from '../mediatype/index.js';
import { EMPTY_CONFIG, EMPTY_CONFIG_BYTES, describeBytes, encodeManifest, toIndexEntry } from './build.js';
import type { Descriptor, ImageIndex, ImageManifest } from './types.js';

const D1 = `sha256:${'1'.repeat(64)}`;

describe('EMPTY_CONFIG', () => {
  it('is the descriptor of the two bytes {}', () => {
    expect(new TextDecoder().decode(EMPTY_CONFIG_BYTES)).toBe('{}');
    expect(EMPTY_CONFIG.digest).toBe(`sha256:${createHash('sha256').update('{}').digest('hex')}`);
    expect(EMPTY_CONFIG.size).toBe(EMPTY_CONFIG_BYTES.length);
    expect(Buffer.from(EMPTY_CONFIG.data!, 'base64').toString()).toBe('{}');
    expect(EMPTY_CONFIG.mediaType).toBe(MediaType.OciEmpty);
    expect(Object.isFrozen(EMPTY_CONFIG)).toBe(true);
  });
});

describe('encodeManifest', () => {
  const image: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    artifactType: 'application/vnd.example.report',
    config: EMPTY_CONFIG,
    layers: [{ mediaType: 'application/json', digest: D1, size: 3 }],
    annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
  };

  it('is deterministic: equal values give equal bytes and digests', () => {
    const a = encodeManifest(image);
    const b = encodeManifest(structuredClone(image));
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(a.descriptor).toEqual(b.descriptor);
  });

  it('describes its own bytes', () => {
    const encoded = encodeManifest(image);
    expect(encoded.kind).toBe('image');
    expect(encoded.descriptor).toEqual({
      mediaType: MediaType.OciManifest,
      digest: digestOf(encoded.bytes),
      size: encoded.bytes.length,
      artifactType: image.artifactType,
      annotations: image.annotations,
    });
    expect(JSON.parse(new TextDecoder().decode(encoded.bytes))).toEqual(image);
  });

  it('defaults the media type from the shape', () => {
    const index: ImageIndex = { schemaVersion: 2, manifests: [] };
    const encodedIndex = encodeManifest(index);
    expect(encodedIndex.kind).toBe('index');
    expect(encodedIndex.descriptor.mediaType).toBe(MediaType.OciIndex);
    const { mediaType: _omit, ...bare } = image;
    expect(encodeManifest(bare).descriptor.mediaType).toBe(MediaType.OciManifest);
  });
});

describe('describeBytes and toIndexEntry', () => {
  it('describes bytes with extra fields', () => {
    const bytes = new TextEncoder().encode('hello');
    expect(describeBytes(bytes, 'text/plain', { annotations: { a: 'b' } })).toEqual({
      mediaType: 'text/plain',
      digest: digestOf(bytes),
      size: 5,
      annotations: { a: 'b' },
    });
  });

  it('keeps only the fields an index entry carries', () => {
    const full: Descriptor = {
      mediaType: MediaType.OciManifest,
      digest: D1,
      size: 10,
      urls: ['https://example.com/x'],
      data: 'e30=',
      annotations: {},
      artifactType: 'application/vnd.example',
      platform: { os: 'linux', architecture: 'amd64' },
    };
    expect(toIndexEntry(full)).toEqual({
      mediaType: MediaType.OciManifest,
      digest: D1,
      size: 10,
      artifactType: 'application/vnd.example',
      platform: { os: 'linux', architecture: 'amd64' },
    });
  });
});
