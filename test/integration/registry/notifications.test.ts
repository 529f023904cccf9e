import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistryEvents } from '../../../src/engine/triggers/registry-events.js';
import { makeImage, makeLayer, pushFixtureToRegistry } from '../../fixtures/index.js';
import { type AirlockRegistry, startAirlockRegistry } from '../../harness/airlock-registry.js';

interface Received {
  authorization?: string;
  body: { events: { action: string; target: Record<string, unknown>; id: string }[] };
}

/** A webhook receiver on loopback that refuses its first request with 503, then accepts. */
async function startReceiver(): Promise<{
  url: string;
  received: Received[];
  attempts: () => number;
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  let attempts = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      attempts++;
      if (attempts === 1) {
        res.writeHead(503).end();
        return;
      }
      received.push({ authorization: req.headers.authorization, body: JSON.parse(text) as Received['body'] });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/events/airlock`,
    received,
    attempts: () => attempts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('registry notifications', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let registry: AirlockRegistry;

  beforeAll(async () => {
    process.env.TEST_REGISTRY_HOOK_SECRET = 'hook-secret-value';
    receiver = await startReceiver();
    registry = await startAirlockRegistry({
      config: {
        notifications: { endpoints: [{ url: receiver.url, secretEnv: 'TEST_REGISTRY_HOOK_SECRET' }] },
      },
    });
  });

  afterAll(async () => {
    await registry?.stop();
    await receiver?.close();
    delete process.env.TEST_REGISTRY_HOOK_SECRET;
  });

  it('POSTs manifest pushes and deletions as distribution events, retrying a refused delivery', async () => {
    const image = makeImage({ layers: [await makeLayer({ seed: 'notify', size: 300 })] });
    const pushed = await pushFixtureToRegistry(image, {
      host: registry.address,
      repository: 'quarantine/app',
      tag: '1.0',
    });
    await fetch(`${registry.url}/v2/quarantine/app/manifests/1.0`, { method: 'DELETE' });
    const deadline = Date.now() + 15_000;
    while (receiver.received.flatMap((r) => r.body.events).length < 2) {
      if (Date.now() > deadline)
        throw new Error(`events not delivered: ${JSON.stringify(receiver.received)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(receiver.attempts()).toBeGreaterThan(1);
    expect(receiver.received[0]!.authorization).toBe('Bearer hook-secret-value');
    const events = receiver.received.flatMap((r) => r.body.events);
    expect(events.map((e) => [e.action, e.target])).toEqual([
      [
        'push',
        expect.objectContaining({
          repository: 'quarantine/app',
          tag: '1.0',
          digest: pushed.digest,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
        }),
      ],
      ['delete', { repository: 'quarantine/app', tag: '1.0' }],
    ]);
    // What Airlock's own receiver makes of them.
    expect(parseRegistryEvents('airlock', { events }).map((e) => [e.action, e.repository, e.tag])).toEqual([
      ['push', 'quarantine/app', '1.0'],
      ['delete', 'quarantine/app', '1.0'],
    ]);
  }, 30_000);
});
