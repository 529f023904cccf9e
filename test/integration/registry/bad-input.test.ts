import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AirlockRegistry, startAirlockRegistry } from '../../harness/airlock-registry.js';
import { blobOf, makeImage, seededBytes, sha256 } from './support/fixtures.js';
import { call, errorCode, header, pushBlob, pushImage } from './support/http.js';

let registry: AirlockRegistry;
let base: string;

const MiB = 1024 * 1024;

beforeAll(async () => {
  registry = await startAirlockRegistry({ config: { limits: { blobMaxBytes: 2 * MiB } } });
  base = registry.url;
});
afterAll(() => registry.stop());

/** Every error body follows distribution-spec v1.1 "Error Codes". */
function expectSpecError(reply: { status: number; json: unknown }, status: number, code: string): void {
  expect(reply.status).toBe(status);
  const body = reply.json as { errors: { code: string; message: string }[] };
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]!.code).toBe(code);
  expect(body.errors[0]!.code).toMatch(/^[A-Z_]+$/);
  expect(typeof body.errors[0]!.message).toBe('string');
}

describe('bad input is refused with spec error codes and the server stays up', () => {
  it.each([
    ['/v2/UPPER/manifests/latest'],
    ['/v2/a..b/manifests/latest'],
    ['/v2/-lead/blobs/uploads/'],
    ['/v2/trailing-/tags/list'],
    [`/v2/${'a'.repeat(256)}/manifests/latest`],
  ])('NAME_INVALID for %s', async (path) => {
    const method = path.endsWith('/uploads/') ? 'POST' : 'GET';
    expectSpecError(await call(base, method, path), 400, 'NAME_INVALID');
  });

  it.each(['sha256:abc', 'sha256:' + 'G'.repeat(64), 'md5:' + 'a'.repeat(32), 'sha256:' + 'A'.repeat(64)])(
    'DIGEST_INVALID for blob %s',
    async (digest) => {
      expectSpecError(await call(base, 'GET', `/v2/bad/blobs/${digest}`), 400, 'DIGEST_INVALID');
    },
  );

  it('DIGEST_INVALID for a closing PUT without or with a malformed digest', async () => {
    const start = await call(base, 'POST', '/v2/bad/upload/blobs/uploads/');
    const location = header(start, 'location')!;
    expectSpecError(await call(base, 'PUT', location, { body: 'x' }), 400, 'DIGEST_INVALID');
    const again = await call(base, 'POST', '/v2/bad/upload/blobs/uploads/');
    expectSpecError(
      await call(base, 'PUT', `${header(again, 'location')!}?digest=sha256:nothex`, { body: 'x' }),
      400,
      'DIGEST_INVALID',
    );
  });

  it('TAG_INVALID for a malformed tag', async () => {
    expectSpecError(
      await call(base, 'PUT', '/v2/bad/tag/manifests/.hidden', { body: '{}' }),
      400,
      'TAG_INVALID',
    );
    expectSpecError(await call(base, 'GET', `/v2/bad/tag/manifests/${'t'.repeat(129)}`), 400, 'TAG_INVALID');
  });

  it.each([
    ['not JSON', 'this is not json', 'application/vnd.oci.image.manifest.v1+json'],
    ['not an object', '[1,2,3]', 'application/vnd.oci.image.manifest.v1+json'],
    [
      'wrong schemaVersion',
      '{"schemaVersion":3,"config":{},"layers":[]}',
      'application/vnd.oci.image.manifest.v1+json',
    ],
    [
      'bad descriptor digest',
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"a/b","digest":"sha256:zz","size":1},"layers":[]}',
      'application/vnd.oci.image.manifest.v1+json',
    ],
    [
      'negative size',
      `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"a/b","digest":"${sha256('x')}","size":-1},"layers":[]}`,
      'application/vnd.oci.image.manifest.v1+json',
    ],
    [
      'mediaType disagreeing with Content-Type',
      `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}`,
      'application/vnd.oci.image.manifest.v1+json',
    ],
  ])('MANIFEST_INVALID for a manifest that is %s', async (_what, body, contentType) => {
    expectSpecError(
      await call(base, 'PUT', '/v2/bad/manifest/manifests/v1', {
        body,
        headers: { 'content-type': contentType },
      }),
      400,
      'MANIFEST_INVALID',
    );
  });

  it('MANIFEST_INVALID (415) for schema 1 and unknown manifest types', async () => {
    const schema1 = await call(base, 'PUT', '/v2/bad/manifest/manifests/v1', {
      body: '{"schemaVersion":1,"name":"x","tag":"v1","fsLayers":[]}',
      headers: { 'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' },
    });
    expectSpecError(schema1, 415, 'MANIFEST_INVALID');
  });

  it('MANIFEST_INVALID when a descriptor size disagrees with the stored blob', async () => {
    const image = await makeImage({ seed: 50 });
    for (const blob of image.blobs) await pushBlob(base, 'bad/size', blob);
    const json = structuredClone(image.json) as { layers: { size: number }[] };
    json.layers[0]!.size += 1;
    const reply = await call(base, 'PUT', '/v2/bad/size/manifests/v1', {
      body: JSON.stringify(json),
      headers: { 'content-type': image.mediaType },
    });
    expectSpecError(reply, 400, 'MANIFEST_INVALID');
    expect((reply.json as { errors: { message: string }[] }).errors[0]!.message).toContain('layers[0]');
  });

  it('413 for a manifest over 4 MiB, refused from Content-Length without reading it', async () => {
    const reply = await call(base, 'PUT', '/v2/bad/huge/manifests/v1', {
      body: Buffer.alloc(4 * MiB + 1, 0x20),
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    });
    expectSpecError(reply, 413, 'MANIFEST_INVALID');
  });

  it('413 for a blob over the configured limit, also when streamed without a length', async () => {
    const big = blobOf(seededBytes(51, 2 * MiB + 10), 'application/octet-stream');
    const declared = await call(base, 'POST', `/v2/bad/bigblob/blobs/uploads/?digest=${big.digest}`, {
      body: big.bytes,
    });
    expectSpecError(declared, 413, 'SIZE_INVALID');

    const start = await call(base, 'POST', '/v2/bad/bigblob/blobs/uploads/');
    async function* stream() {
      for (let offset = 0; offset < big.bytes.length; offset += 256 * 1024)
        yield big.bytes.subarray(offset, offset + 256 * 1024);
    }
    const { request } = await import('undici');
    const response = await request(`${base}${header(start, 'location')!}`, {
      method: 'PATCH',
      body: Readable.from(stream()),
    });
    expect(response.statusCode).toBe(413);
    await response.body.dump();
  });

  it('400 BLOB_UPLOAD_INVALID for a malformed Content-Range and SIZE_INVALID for a length that disagrees', async () => {
    const start = await call(base, 'POST', '/v2/bad/range/blobs/uploads/');
    const location = header(start, 'location')!;
    expectSpecError(
      await call(base, 'PATCH', location, { body: 'abc', headers: { 'content-range': 'three bytes' } }),
      400,
      'BLOB_UPLOAD_INVALID',
    );
    expectSpecError(
      await call(base, 'PATCH', location, { body: 'abc', headers: { 'content-range': '0-9' } }),
      400,
      'SIZE_INVALID',
    );
    const status = await call(base, 'GET', location);
    expect(header(status, 'range')).toBe('0-0');
  });

  it('BLOB_UPLOAD_UNKNOWN for unknown or foreign sessions', async () => {
    expectSpecError(
      await call(base, 'GET', '/v2/bad/up/blobs/uploads/00000000-0000-0000-0000-000000000000'),
      404,
      'BLOB_UPLOAD_UNKNOWN',
    );
    expectSpecError(
      await call(base, 'PATCH', '/v2/bad/up/blobs/uploads/..%2F..%2Fetc', { body: 'x' }),
      404,
      'BLOB_UPLOAD_UNKNOWN',
    );
    const start = await call(base, 'POST', '/v2/bad/owner/blobs/uploads/');
    const id = header(start, 'location')!.split('/').pop()!;
    expectSpecError(await call(base, 'GET', `/v2/bad/other/blobs/uploads/${id}`), 404, 'BLOB_UPLOAD_UNKNOWN');
  });

  it('405 UNSUPPORTED with Allow for a method an endpoint does not answer', async () => {
    const reply = await call(base, 'POST', '/v2/bad/x/manifests/v1');
    expectSpecError(reply, 405, 'UNSUPPORTED');
    expect(header(reply, 'allow')).toBe('GET, HEAD, PUT, DELETE');
  });

  it('404 for paths that are no endpoint', async () => {
    expect((await call(base, 'GET', '/v2/bad/x/unknown/thing')).status).toBe(404);
    expect((await call(base, 'GET', '/favicon.ico')).status).toBe(404);
    expectSpecError(await call(base, 'GET', '/v2/bad/%E0%A4%A/manifests/v1'), 400, 'NAME_INVALID');
    expect((await call(base, 'HEAD', `/v2/bad/x/manifests/sha256%3A${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('keeps serving after all of that', async () => {
    const image = await makeImage({ seed: 52 });
    await pushImage(base, 'bad/after', 'v1', image);
    expect((await call(base, 'GET', '/v2/bad/after/manifests/v1')).status).toBe(200);
  });

  it('bounds error messages that quote client input', async () => {
    const reply = await call(base, 'GET', `/v2/bad/x/manifests/${'a'.repeat(5000)}`);
    expect(reply.status).toBe(400);
    expect(reply.body.length).toBeLessThan(3000);
    expect(errorCode(reply)).toBe('TAG_INVALID');
  });
});
