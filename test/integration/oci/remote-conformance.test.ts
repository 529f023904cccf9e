import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { describeContentStoreConformance } from '../../../src/oci/content/testing/conformance.js';
import { RegistrySession } from '../../../src/oci/remote/index.js';
import { type DockerRegistry, requireTools, startDockerRegistry } from '../../harness/index.js';

const describeWith = requireTools('docker-registry');

describeWith('remote repository on CNCF distribution (no Referrers API: tag-schema fallback)', () => {
  let registry: DockerRegistry;
  let session: RegistrySession;

  beforeAll(async () => {
    registry = await startDockerRegistry();
    session = new RegistrySession({ retry: { initialDelayMs: 10, maxDelayMs: 50 } });
  });

  afterAll(async () => {
    await session?.close();
    await registry?.stop();
  });

  describeContentStoreConformance(
    'RemoteRepository → docker-registry',
    async () => ({
      store: await session.repository({
        registry: registry.host,
        repository: `conformance/${randomUUID().slice(0, 8)}`,
      }),
      cleanup: async () => {},
    }),
    { largeBlobBytes: 64 * 1024 * 1024 },
  );
});
