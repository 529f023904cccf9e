import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { BlobFetcher } from '../../oci/content/index.js';
import type { Descriptor } from '../../oci/manifest/index.js';
import { readBlobBytes } from './blob-bytes.js';

const SBOM_LIMIT = { maxBytes: 10, what: 'SBOM', code: 'SCAN_SBOM_INVALID' } as const;

const DESCRIPTOR: Descriptor = {
  mediaType: 'application/spdx+json',
  digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000',
  size: 10,
};

/** A store that sends `bytes` whatever the descriptor says, as a misbehaving one might. */
function fetcherSending(bytes: number): BlobFetcher & { destroyed: () => boolean } {
  let stream: Readable | undefined;
  return {
    fetchBlob: async () => (stream = Readable.from([Buffer.alloc(bytes / 2), Buffer.alloc(bytes / 2)])),
    blobExists: async () => true,
    destroyed: () => stream?.destroyed ?? false,
  };
}

describe('readBlobBytes', () => {
  it('reads a blob within the bound', async () => {
    expect((await readBlobBytes(fetcherSending(10), DESCRIPTOR, SBOM_LIMIT)).length).toBe(10);
  });

  it('refuses a descriptor larger than the bound without fetching', async () => {
    const fetcher = fetcherSending(10);
    await expect(readBlobBytes(fetcher, { ...DESCRIPTOR, size: 11 }, SBOM_LIMIT)).rejects.toMatchObject({
      code: 'SCAN_SBOM_INVALID',
      message: expect.stringContaining('(11 bytes) exceeds the SBOM size limit of 10 bytes'),
    });
  });

  it('stops reading a stream that runs past the bound, and releases it', async () => {
    const fetcher = fetcherSending(1000);
    await expect(readBlobBytes(fetcher, DESCRIPTOR, SBOM_LIMIT)).rejects.toMatchObject({
      code: 'SCAN_SBOM_INVALID',
    });
    expect(fetcher.destroyed()).toBe(true);
  });

  it('does not start when already cancelled', async () => {
    await expect(
      readBlobBytes(fetcherSending(10), DESCRIPTOR, { ...SBOM_LIMIT, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
