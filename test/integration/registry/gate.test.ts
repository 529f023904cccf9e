import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullGate, PullRequestInfo } from '../../../src/registry/index.js';
import { type AirlockRegistry, startAirlockRegistry } from '../../harness/airlock-registry.js';
import { hasTool, skopeoInspectRaw } from '../../harness/index.js';
import { type BuiltManifest, makeImage } from './support/fixtures.js';
import { call, errorCode, pushImage } from './support/http.js';

let registry: AirlockRegistry;
let revoked: BuiltManifest;
let fixed: BuiltManifest;
const asked: PullRequestInfo[] = [];

/** Denies one digest, naming the digest to use instead, as Airlock's lifecycle gate will. */
const gate: PullGate = async (request) => {
  asked.push(request);
  if (request.digest === revoked.digest) {
    return {
      allow: false,
      reason: 'CVE-2026-0001 (critical) is not fixed in this image',
      alternative: `${request.repository}@${fixed.digest}`,
    };
  }
  return { allow: true };
};

beforeAll(async () => {
  revoked = await makeImage({ seed: 80 });
  fixed = await makeImage({ seed: 81 });
  registry = await startAirlockRegistry({ gate });
  await pushImage(registry.url, 'golden/python', '3.12-old', revoked);
  await pushImage(registry.url, 'golden/python', '3.12', fixed);
});
afterAll(() => registry.stop());

describe('pull gate', () => {
  it('answers a denied GET with 403 DENIED saying why and what to use instead', async () => {
    const reply = await call(registry.url, 'GET', '/v2/golden/python/manifests/3.12-old');
    expect(reply.status).toBe(403);
    expect(errorCode(reply)).toBe('DENIED');
    const error = (reply.json as { errors: { message: string; detail: Record<string, string> }[] })
      .errors[0]!;
    expect(error.message).toContain('CVE-2026-0001 (critical) is not fixed in this image');
    expect(error.message).toContain(`use golden/python@${fixed.digest} instead`);
    expect(error.detail.alternative).toBe(`golden/python@${fixed.digest}`);
  });

  it('denies HEAD and pulls by digest too, and tells the gate what was asked', async () => {
    asked.length = 0;
    expect((await call(registry.url, 'HEAD', `/v2/golden/python/manifests/${revoked.digest}`)).status).toBe(
      403,
    );
    expect(asked).toEqual([
      {
        repository: 'golden/python',
        reference: revoked.digest,
        digest: revoked.digest,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
      },
    ]);
  });

  it('serves what the gate allows', async () => {
    const reply = await call(registry.url, 'GET', '/v2/golden/python/manifests/3.12');
    expect(reply.status).toBe(200);
    expect(reply.body.equals(fixed.bytes)).toBe(true);
  });

  it.runIf(hasTool('skopeo'))('shows the reason to skopeo users', async () => {
    await expect(skopeoInspectRaw(`${registry.address}/golden/python:3.12-old`)).rejects.toThrow(
      /CVE-2026-0001/,
    );
  });
});
