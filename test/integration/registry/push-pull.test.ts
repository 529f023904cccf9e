import { readdir } from 'node:fs/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AirlockRegistry, startAirlockRegistry } from '../../harness/airlock-registry.js';
import { blobOf, makeImage, makeIndex, seededBytes, sha256 } from './support/fixtures.js';
import { call, errorCode, header, pushBlob, pushImage, pushManifest } from './support/http.js';

let registry: AirlockRegistry;
let base: string;

beforeAll(async () => {
  registry = await startAirlockRegistry();
  base = registry.url;
});
afterAll(() => registry.stop());

describe('registry push and pull (distribution-spec v1.1)', () => {
  it('answers /v2/ with 200 and the API version header', async () => {
    const reply = await call(base, 'GET', '/v2/');
    expect(reply.status).toBe(200);
    expect(header(reply, 'docker-distribution-api-version')).toBe('registry/2.0');
  });

  it('pushes a blob with POST then PUT and serves it with digest, length and ranges', async () => {
    const blob = blobOf(seededBytes(11, 100_000), 'application/octet-stream');
    const put = await pushBlob(base, 'pp/blob', blob);
    expect(put.status).toBe(201);
    expect(header(put, 'location')).toBe(`/v2/pp/blob/blobs/${blob.digest}`);
    expect(header(put, 'docker-content-digest')).toBe(blob.digest);

    const head = await call(base, 'HEAD', `/v2/pp/blob/blobs/${blob.digest}`);
    expect(head.status).toBe(200);
    expect(header(head, 'content-length')).toBe('100000');
    expect(header(head, 'docker-content-digest')).toBe(blob.digest);
    expect(head.body.length).toBe(0);

    const get = await call(base, 'GET', `/v2/pp/blob/blobs/${blob.digest}`);
    expect(get.status).toBe(200);
    expect(sha256(get.body)).toBe(blob.digest);

    const range = await call(base, 'GET', `/v2/pp/blob/blobs/${blob.digest}`, {
      headers: { range: 'bytes=10-19' },
    });
    expect(range.status).toBe(206);
    expect(header(range, 'content-range')).toBe('bytes 10-19/100000');
    expect(range.body.equals(blob.bytes.subarray(10, 20))).toBe(true);

    const suffix = await call(base, 'GET', `/v2/pp/blob/blobs/${blob.digest}`, {
      headers: { range: 'bytes=-5' },
    });
    expect(suffix.status).toBe(206);
    expect(suffix.body.equals(blob.bytes.subarray(99_995))).toBe(true);

    const beyond = await call(base, 'GET', `/v2/pp/blob/blobs/${blob.digest}`, {
      headers: { range: 'bytes=100000-' },
    });
    expect(beyond.status).toBe(416);
    expect(header(beyond, 'content-range')).toBe('bytes */100000');
  });

  it('accepts a single-POST monolithic upload', async () => {
    const blob = blobOf(seededBytes(12, 5_000), 'application/octet-stream');
    const reply = await call(base, 'POST', `/v2/pp/single/blobs/uploads/?digest=${blob.digest}`, {
      body: blob.bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(reply.status).toBe(201);
    expect(header(reply, 'location')).toBe(`/v2/pp/single/blobs/${blob.digest}`);
    expect((await call(base, 'HEAD', `/v2/pp/single/blobs/${blob.digest}`)).status).toBe(200);
  });

  it('runs a chunked upload: PATCH in order, 416 out of order, status GET, closing PUT', async () => {
    const blob = blobOf(seededBytes(13, 30_000), 'application/octet-stream');
    const start = await call(base, 'POST', '/v2/pp/chunked/blobs/uploads/', {
      headers: { 'content-length': '0' },
    });
    expect(start.status).toBe(202);
    expect(header(start, 'range')).toBe('0-0');
    const location = header(start, 'location')!;
    expect(location).toMatch(/^\/v2\/pp\/chunked\/blobs\/uploads\/[0-9a-f-]{36}$/);

    const first = await call(base, 'PATCH', location, {
      body: blob.bytes.subarray(0, 10_000),
      headers: { 'content-range': '0-9999', 'content-type': 'application/octet-stream' },
    });
    expect(first.status).toBe(202);
    expect(header(first, 'range')).toBe('0-9999');
    expect(header(first, 'location')).toBe(location);

    const outOfOrder = await call(base, 'PATCH', location, {
      body: blob.bytes.subarray(20_000, 30_000),
      headers: { 'content-range': '20000-29999' },
    });
    expect(outOfOrder.status).toBe(416);
    expect(header(outOfOrder, 'range')).toBe('0-9999');

    const status = await call(base, 'GET', location);
    expect(status.status).toBe(204);
    expect(header(status, 'range')).toBe('0-9999');
    expect(header(status, 'location')).toBe(location);

    const second = await call(base, 'PATCH', location, {
      body: blob.bytes.subarray(10_000, 20_000),
      headers: { 'content-range': '10000-19999' },
    });
    expect(second.status).toBe(202);
    expect(header(second, 'range')).toBe('0-19999');

    const close = await call(base, 'PUT', `${location}?digest=${blob.digest}`, {
      body: blob.bytes.subarray(20_000),
      headers: { 'content-range': '20000-29999' },
    });
    expect(close.status).toBe(201);
    expect(header(close, 'docker-content-digest')).toBe(blob.digest);
    const get = await call(base, 'GET', `/v2/pp/chunked/blobs/${blob.digest}`);
    expect(sha256(get.body)).toBe(blob.digest);
    expect((await call(base, 'GET', location)).status).toBe(404);
  });

  it('accepts a streamed PATCH without Content-Range (as Docker pushes)', async () => {
    const blob = blobOf(seededBytes(14, 70_000), 'application/octet-stream');
    const start = await call(base, 'POST', '/v2/pp/stream/blobs/uploads/');
    const location = header(start, 'location')!;
    const patch = await call(base, 'PATCH', location, { body: blob.bytes });
    expect(patch.status).toBe(202);
    expect(header(patch, 'range')).toBe('0-69999');
    const close = await call(base, 'PUT', `${location}?digest=${blob.digest}`);
    expect(close.status).toBe(201);
  });

  it('refuses a closing PUT whose digest does not match the content', async () => {
    const start = await call(base, 'POST', '/v2/pp/wrong/blobs/uploads/');
    const location = header(start, 'location')!;
    const wrong = sha256('something else');
    const reply = await call(base, 'PUT', `${location}?digest=${wrong}`, { body: 'content' });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('DIGEST_INVALID');
    expect((await call(base, 'HEAD', `/v2/pp/wrong/blobs/${wrong}`)).status).toBe(404);
  });

  it('cancels an upload with DELETE', async () => {
    const start = await call(base, 'POST', '/v2/pp/cancel/blobs/uploads/');
    const location = header(start, 'location')!;
    expect((await call(base, 'DELETE', location)).status).toBe(204);
    const after = await call(base, 'GET', location);
    expect(after.status).toBe(404);
    expect(errorCode(after)).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('mounts a blob from another repository, and falls back to a session when it cannot', async () => {
    const blob = blobOf(seededBytes(15, 2_000), 'application/octet-stream');
    await pushBlob(base, 'pp/mount-src', blob);
    const mounted = await call(
      base,
      'POST',
      `/v2/pp/mount-dst/blobs/uploads/?mount=${blob.digest}&from=pp/mount-src`,
    );
    expect(mounted.status).toBe(201);
    expect(header(mounted, 'location')).toBe(`/v2/pp/mount-dst/blobs/${blob.digest}`);
    expect(header(mounted, 'docker-content-digest')).toBe(blob.digest);
    expect((await call(base, 'HEAD', `/v2/pp/mount-dst/blobs/${blob.digest}`)).status).toBe(200);

    const absent = sha256('never pushed');
    const fallback = await call(
      base,
      'POST',
      `/v2/pp/mount-dst/blobs/uploads/?mount=${absent}&from=pp/mount-src`,
    );
    expect(fallback.status).toBe(202);
    expect(header(fallback, 'location')).toMatch(/\/blobs\/uploads\//);

    // Without `from`, a digest alone does not mount content of other repositories.
    const noFrom = await call(base, 'POST', `/v2/pp/mount-other/blobs/uploads/?mount=${blob.digest}`);
    expect(noFrom.status).toBe(202);
  });

  it('keeps blobs repository-scoped', async () => {
    const blob = blobOf(seededBytes(16, 1_000), 'application/octet-stream');
    await pushBlob(base, 'pp/scope-a', blob);
    const other = await call(base, 'GET', `/v2/pp/scope-b/blobs/${blob.digest}`);
    expect(other.status).toBe(404);
    expect(errorCode(other)).toBe('BLOB_UNKNOWN');
  });

  it('pushes and pulls an image manifest by tag and by digest with exact bytes', async () => {
    const image = await makeImage({ seed: 20 });
    await pushImage(base, 'pp/image', 'v1', image);
    for (const reference of ['v1', image.digest]) {
      const reply = await call(base, 'GET', `/v2/pp/image/manifests/${reference}`, {
        headers: { accept: image.mediaType },
      });
      expect(reply.status).toBe(200);
      expect(reply.body.equals(image.bytes)).toBe(true);
      expect(header(reply, 'content-type')).toBe(image.mediaType);
      expect(header(reply, 'docker-content-digest')).toBe(image.digest);
      expect(header(reply, 'content-length')).toBe(String(image.size));
    }
    const head = await call(base, 'HEAD', '/v2/pp/image/manifests/v1');
    expect(head.status).toBe(200);
    expect(header(head, 'docker-content-digest')).toBe(image.digest);
    expect(header(head, 'content-length')).toBe(String(image.size));
  });

  it('answers PUT manifest with 201, Location and Docker-Content-Digest; by digest the digest must match', async () => {
    const image = await makeImage({ seed: 21 });
    for (const blob of image.blobs) await pushBlob(base, 'pp/bydigest', blob);
    const reply = await pushManifest(base, 'pp/bydigest', image.digest, image);
    expect(reply.status).toBe(201);
    expect(header(reply, 'location')).toBe(`/v2/pp/bydigest/manifests/${image.digest}`);
    expect(header(reply, 'docker-content-digest')).toBe(image.digest);

    const mismatch = await pushManifest(base, 'pp/bydigest', sha256('other'), image);
    expect(mismatch.status).toBe(400);
    expect(errorCode(mismatch)).toBe('DIGEST_INVALID');
  });

  it('refuses a manifest whose blobs are not in the repository, naming the field', async () => {
    const image = await makeImage({ seed: 22 });
    await pushBlob(base, 'pp/missing', image.blobs[0]!);
    const reply = await pushManifest(base, 'pp/missing', 'v1', image);
    expect(reply.status).toBe(404);
    expect(errorCode(reply)).toBe('MANIFEST_BLOB_UNKNOWN');
    expect(JSON.stringify(reply.json)).toContain('layers[0]');
  });

  it('refuses an index whose child manifests are not in the repository', async () => {
    const child = await makeImage({ seed: 23 });
    const index = makeIndex([child]);
    const reply = await pushManifest(base, 'pp/index-missing', 'v1', index);
    expect(reply.status).toBe(404);
    expect(errorCode(reply)).toBe('MANIFEST_BLOB_UNKNOWN');
  });

  it('negotiates Accept: serves the stored type, refuses clients that accept only other manifest types', async () => {
    const image = await makeImage({ seed: 24 });
    await pushImage(base, 'pp/accept', 'v1', image);
    const docker = await call(base, 'GET', '/v2/pp/accept/manifests/v1', {
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(docker.status).toBe(404);
    expect(errorCode(docker)).toBe('MANIFEST_UNKNOWN');
    const several = await call(base, 'GET', '/v2/pp/accept/manifests/v1', {
      headers: {
        accept:
          'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
      },
    });
    expect(several.status).toBe(200);
    const wildcard = await call(base, 'GET', '/v2/pp/accept/manifests/v1', { headers: { accept: '*/*' } });
    expect(wildcard.status).toBe(200);
  });

  it('answers 404 MANIFEST_UNKNOWN for unknown tags and digests', async () => {
    const tag = await call(base, 'GET', '/v2/pp/image/manifests/nope');
    expect(tag.status).toBe(404);
    expect(errorCode(tag)).toBe('MANIFEST_UNKNOWN');
    const digest = await call(base, 'HEAD', `/v2/pp/image/manifests/${sha256('x')}`);
    expect(digest.status).toBe(404);
  });

  it('moves a tag to a new manifest', async () => {
    const one = await makeImage({ seed: 25 });
    const two = await makeImage({ seed: 26 });
    await pushImage(base, 'pp/retag', 'latest', one);
    await pushImage(base, 'pp/retag', 'latest', two);
    const reply = await call(base, 'HEAD', '/v2/pp/retag/manifests/latest');
    expect(header(reply, 'docker-content-digest')).toBe(two.digest);
  });

  it('stores Docker schema 2 manifests with their media type', async () => {
    const config = blobOf(
      Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'),
      'application/vnd.docker.container.image.v1+json',
    );
    await pushBlob(base, 'pp/docker', config);
    const manifest = blobOf(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
          layers: [],
        }),
      ),
      'application/vnd.docker.distribution.manifest.v2+json',
    );
    expect((await pushManifest(base, 'pp/docker', 'v1', manifest)).status).toBe(201);
    const reply = await call(base, 'GET', '/v2/pp/docker/manifests/v1', {
      headers: { accept: manifest.mediaType },
    });
    expect(header(reply, 'content-type')).toBe(manifest.mediaType);
  });
});

describe('blob downloads', () => {
  it('releases file handles of downloads that clients abandon halfway', async () => {
    const blob = blobOf(seededBytes(17, 8 * 1024 * 1024), 'application/octet-stream');
    await pushBlob(base, 'pp/abandon', blob);
    const openFiles = async () => (await readdir('/proc/self/fd')).length;
    const before = await openFiles();
    for (let i = 0; i < 10; i++) {
      const controller = new AbortController();
      const response = await request(`${base}/v2/pp/abandon/blobs/${blob.digest}`, {
        signal: controller.signal,
      });
      for await (const _chunk of response.body) {
        controller.abort();
        break;
      }
    }
    const full = await call(base, 'GET', `/v2/pp/abandon/blobs/${blob.digest}`);
    expect(sha256(full.body)).toBe(blob.digest);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await openFiles()).toBeLessThanOrEqual(before + 2);
  });
});
