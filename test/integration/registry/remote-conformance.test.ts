import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { describeContentStoreConformance } from '../../../src/oci/content/testing/conformance.js';
import { StaticCredentials } from '../../../src/oci/remote/credentials/index.js';
import { RegistrySession } from '../../../src/oci/remote/index.js';
import { hashPassword } from '../../../src/registry/index.js';
import { type AirlockRegistry, startAirlockRegistry } from '../../harness/airlock-registry.js';

const LARGE_BLOB_BYTES = 32 * 1024 * 1024;

describe('Airlock client against the built-in registry (anonymous, monolithic uploads)', () => {
  let registry: AirlockRegistry;
  let session: RegistrySession;

  beforeAll(async () => {
    registry = await startAirlockRegistry();
    session = new RegistrySession({ retry: { initialDelayMs: 10, maxDelayMs: 50 } });
  });
  afterAll(async () => {
    await session?.close();
    await registry?.stop();
  });

  describeContentStoreConformance(
    'RemoteRepository → Airlock registry',
    async () => ({
      store: await session.repository({
        registry: registry.address,
        repository: `conformance/${randomUUID().slice(0, 8)}`,
      }),
      cleanup: async () => {},
    }),
    { largeBlobBytes: LARGE_BLOB_BYTES },
  );
});

describe('Airlock client against the built-in registry (token auth, chunked uploads)', () => {
  let registry: AirlockRegistry;
  let session: RegistrySession;

  beforeAll(async () => {
    registry = await startAirlockRegistry({
      config: { auth: { users: [{ name: 'ci', passwordHash: await hashPassword('ci-secret') }] } },
    });
    session = new RegistrySession({
      credentials: new StaticCredentials({
        [registry.address]: { kind: 'basic', username: 'ci', password: 'ci-secret' },
      }),
      uploadChunkSize: 1024 * 1024,
      retry: { initialDelayMs: 10, maxDelayMs: 50 },
    });
  });
  afterAll(async () => {
    await session?.close();
    await registry?.stop();
  });

  describeContentStoreConformance(
    'RemoteRepository (token auth, 1 MiB chunks) → Airlock registry',
    async () => ({
      store: await session.repository({
        registry: registry.address,
        repository: `conformance/${randomUUID().slice(0, 8)}`,
      }),
      cleanup: async () => {},
    }),
    { largeBlobBytes: LARGE_BLOB_BYTES },
  );
});
