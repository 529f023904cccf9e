import { describe, expect, it } from 'vitest';
import {
  MANIFEST_ACCEPT,
  MediaType,
  isDockerMediaType,
  isImageManifestMediaType,
  isIndexMediaType,
  isManifestMediaType,
  isNondistributableMediaType,
  isSchema1MediaType,
  normalizeMediaType,
} from './media-types.js';

describe('normalizeMediaType', () => {
  it('strips parameters, whitespace and case', () => {
    expect(normalizeMediaType('application/vnd.oci.image.manifest.v1+json; charset=utf-8')).toBe(
      MediaType.OciManifest,
    );
    expect(normalizeMediaType('  Application/VND.Docker.Distribution.Manifest.V2+JSON ')).toBe(
      MediaType.DockerManifest,
    );
  });

  it('gives undefined for nothing', () => {
    expect(normalizeMediaType(undefined)).toBeUndefined();
    expect(normalizeMediaType('')).toBeUndefined();
    expect(normalizeMediaType(' ; charset=utf-8')).toBeUndefined();
  });
});

describe('media type predicates', () => {
  const table: [string, { index: boolean; image: boolean; schema1: boolean; docker: boolean }][] = [
    [MediaType.OciIndex, { index: true, image: false, schema1: false, docker: false }],
    [MediaType.DockerManifestList, { index: true, image: false, schema1: false, docker: true }],
    [MediaType.OciManifest, { index: false, image: true, schema1: false, docker: false }],
    [MediaType.DockerManifest, { index: false, image: true, schema1: false, docker: true }],
    [MediaType.DockerSchema1, { index: false, image: false, schema1: true, docker: true }],
    [MediaType.DockerSchema1Signed, { index: false, image: false, schema1: true, docker: true }],
    [MediaType.OciConfig, { index: false, image: false, schema1: false, docker: false }],
    [MediaType.DockerLayerGzip, { index: false, image: false, schema1: false, docker: true }],
    ['application/json', { index: false, image: false, schema1: false, docker: false }],
  ];

  it.each(table)('%s', (mediaType, expected) => {
    expect(isIndexMediaType(mediaType)).toBe(expected.index);
    expect(isImageManifestMediaType(mediaType)).toBe(expected.image);
    expect(isManifestMediaType(mediaType)).toBe(expected.index || expected.image);
    expect(isSchema1MediaType(mediaType)).toBe(expected.schema1);
    expect(isDockerMediaType(mediaType)).toBe(expected.docker);
  });

  it('answers false for undefined', () => {
    for (const predicate of [
      isIndexMediaType,
      isImageManifestMediaType,
      isManifestMediaType,
      isSchema1MediaType,
      isNondistributableMediaType,
      isDockerMediaType,
    ]) {
      expect(predicate(undefined)).toBe(false);
    }
  });

  it('knows the non-distributable layer types', () => {
    for (const mediaType of [
      MediaType.OciLayerNondistributable,
      MediaType.OciLayerNondistributableGzip,
      MediaType.OciLayerNondistributableZstd,
      MediaType.DockerLayerForeignGzip,
    ]) {
      expect(isNondistributableMediaType(mediaType)).toBe(true);
    }
    for (const mediaType of [MediaType.OciLayerGzip, MediaType.DockerLayerGzip, MediaType.OciLayerZstd]) {
      expect(isNondistributableMediaType(mediaType)).toBe(false);
    }
  });
});

describe('MANIFEST_ACCEPT', () => {
  it('lists every supported manifest type, indexes first, and no schema 1 type', () => {
    const types = MANIFEST_ACCEPT.split(',').map((t) => t.trim());
    expect(new Set(types)).toEqual(
      new Set([
        MediaType.OciIndex,
        MediaType.DockerManifestList,
        MediaType.OciManifest,
        MediaType.DockerManifest,
      ]),
    );
    expect(types.slice(0, 2).every(isIndexMediaType)).toBe(true);
    expect(types.some(isSchema1MediaType)).toBe(false);
  });
});
