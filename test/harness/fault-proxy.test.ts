import { createHash } from 'node:crypto';
import { get } from 'node:http';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { request } from 'undici';
import { makeImage, makeLayer, pushFixtureToRegistry, type ImageFixture } from '../fixtures/index.js';
import { MediaType } from '../../src/oci/mediatype/index.js';
import {
  Fault,
  requireTools,
  startDockerRegistry,
  startFaultProxy,
  type DockerRegistry,
  type FaultProxy,
} from './index.js';

const describeWith = requireTools('docker-registry');
/** distribution 2.8 answers 404 for an OCI manifest unless the client accepts its media type. */
const ACCEPT_OCI = { accept: MediaType.OciManifest };

interface RawResponse {
  status?: number;
  headers?: Record<string, string | string[] | undefined>;
  body: Buffer;
  error?: NodeJS.ErrnoException;
}

/** Reads a response with node:http so that a cut connection still shows what arrived before the cut. */
function fetchRaw(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const result: RawResponse = { body: Buffer.alloc(0) };
    const finish = (error?: NodeJS.ErrnoException) => {
      result.body = Buffer.concat(chunks);
      if (error) result.error = error;
      resolve(result);
    };
    const req = get(url, { agent: false, headers }, (res) => {
      result.status = res.statusCode;
      result.headers = res.headers;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        finish(res.complete ? undefined : Object.assign(new Error('incomplete'), { code: 'INCOMPLETE' })),
      );
      res.on('error', (error) => finish(error));
    });
    req.on('error', (error) => finish(error));
  });
}

describeWith('fault proxy', () => {
  let registry: DockerRegistry;
  let proxy: FaultProxy;
  let image: ImageFixture;
  let blobUrl: string;
  let layerBytes: Uint8Array;

  beforeAll(async () => {
    registry = await startDockerRegistry();
    const layer = await makeLayer({ seed: 'fault-proxy', size: 256 * 1024 });
    image = makeImage({ layers: [layer] });
    layerBytes = layer.bytes;
    await pushFixtureToRegistry(image, { host: registry.host, repository: 'faults/app', tag: 'v1' });
    proxy = await startFaultProxy({ target: registry.url });
    blobUrl = `${proxy.url}/v2/faults/app/blobs/${layer.descriptor.digest}`;
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });
  afterEach(() => {
    proxy.clearRules();
    proxy.clearRequests();
  });

  it('passes blobs through unchanged when no rule matches', async () => {
    const response = await fetchRaw(blobUrl);
    expect(response.status).toBe(200);
    expect(response.error).toBeUndefined();
    expect(Buffer.compare(response.body, Buffer.from(layerBytes))).toBe(0);
  });

  it('truncates a body after the real Content-Length was sent', async () => {
    proxy.when({ path: /\/blobs\// }).respond(Fault.truncateBody(1000));
    const response = await fetchRaw(blobUrl);
    expect(response.status).toBe(200);
    expect(response.headers?.['content-length']).toBe(String(layerBytes.length));
    expect(response.body.length).toBe(1000);
    expect(response.error).toBeDefined();
    expect(proxy.requests[0]?.fault).toBe('truncate');
  });

  it('resets the connection before any answer, or mid-body', async () => {
    proxy.when({ path: /\/blobs\// }).respond(Fault.resetConnection());
    const early = await fetchRaw(blobUrl);
    expect(early.status).toBeUndefined();
    expect(early.error?.code).toBe('ECONNRESET');

    proxy.when({ path: /\/blobs\// }).respond(Fault.resetConnection(4096));
    const late = await fetchRaw(blobUrl);
    expect(late.status).toBe(200);
    expect(late.body.length).toBeLessThanOrEqual(4096);
    expect(late.error).toBeDefined();
  });

  it('corrupts exactly one byte and keeps the length', async () => {
    proxy.when({ path: /\/blobs\// }).respond(Fault.corruptBody({ atByte: 10 }));
    const response = await fetchRaw(blobUrl);
    expect(response.body.length).toBe(layerBytes.length);
    const differing = [...response.body].flatMap((byte, i) => (byte === layerBytes[i] ? [] : [i]));
    expect(differing).toEqual([10]);
    const digest = `sha256:${createHash('sha256').update(response.body).digest('hex')}`;
    expect(digest).not.toBe(image.root.image.layers[0]!.digest);
  });

  it('delays, rewrites and removes headers', async () => {
    proxy.when({ path: /\/manifests\// }).respond(Fault.delay(300));
    const started = Date.now();
    const delayed = await fetchRaw(`${proxy.url}/v2/faults/app/manifests/v1`, ACCEPT_OCI);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(delayed.status).toBe(200);

    proxy
      .when({ path: /\/manifests\// })
      .respond(Fault.rewriteHeader('Docker-Content-Digest', 'sha256:' + '0'.repeat(64)));
    proxy.when({ path: /\/manifests\// }).respond(Fault.rewriteHeader('content-type', null));
    const rewritten = await fetchRaw(`${proxy.url}/v2/faults/app/manifests/v1`, ACCEPT_OCI);
    expect(rewritten.headers?.['docker-content-digest']).toBe('sha256:' + '0'.repeat(64));
    const removed = await fetchRaw(`${proxy.url}/v2/faults/app/manifests/v1`, ACCEPT_OCI);
    expect(removed.headers?.['content-type']).toBeUndefined();
    expect(removed.headers?.['docker-content-digest']).toBe(image.root.descriptor.digest);
  });

  it('uses rules in order, filters by method, and honours times', async () => {
    const head = proxy.when({ method: 'HEAD', path: /\/manifests\//, times: 2 }).respond(Fault.status(503));
    const any = proxy.when({ path: /\/manifests\// }).respond(Fault.status(500, { body: { errors: [] } }));
    const url = `${proxy.url}/v2/faults/app/manifests/v1`;
    const statuses: number[] = [];
    for (const method of ['GET', 'HEAD', 'HEAD', 'HEAD'] as const) {
      const response = await request(url, { method, headers: ACCEPT_OCI });
      await response.body.dump();
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([500, 503, 503, 200]);
    expect([head.hits, any.hits]).toEqual([2, 1]);
    expect(proxy.pendingRules()).toEqual([]);
  });

  it('keeps upload Location headers on the proxy so pushes go through it', async () => {
    const layer = await makeLayer({ seed: 'through-proxy', size: 2 * 1024 * 1024 });
    const pushed = makeImage({ layers: [layer] });
    await pushFixtureToRegistry(pushed, { host: proxy.host, repository: 'faults/pushed', tag: 'v1' });
    const puts = proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/'));
    expect(puts).toHaveLength(pushed.blobs.size);
    expect(puts.every((r) => r.status === 201)).toBe(true);
    const back = await fetchRaw(`${registry.url}/v2/faults/pushed/blobs/${layer.descriptor.digest}`);
    expect(Buffer.compare(back.body, Buffer.from(layer.bytes))).toBe(0);
  });

  it('answers 502 when the registry is gone', async () => {
    const orphan = await startFaultProxy({ target: '127.0.0.1:1' });
    try {
      const response = await fetchRaw(`${orphan.url}/v2/`);
      expect(response.status).toBe(502);
    } finally {
      await orphan.stop();
    }
  });
});
