import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DigestVerifier,
  type VerifyExpectation,
  createDigester,
  digestOf,
  isDigest,
  parseDigest,
  verifyBytes,
} from './digest.js';
import { AppError, OciError } from './errors.js';

const SHA256_HEX = 'a'.repeat(64);
const SHA512_HEX = 'b'.repeat(128);

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

describe('parseDigest', () => {
  it('parses the registered algorithms', () => {
    expect(parseDigest(`sha256:${SHA256_HEX}`)).toEqual({ algorithm: 'sha256', encoded: SHA256_HEX });
    expect(parseDigest(`sha512:${SHA512_HEX}`)).toEqual({ algorithm: 'sha512', encoded: SHA512_HEX });
  });

  it('names the grammar when the shape is wrong', () => {
    for (const value of [
      '',
      'sha256',
      `:${SHA256_HEX}`,
      `sha256:`,
      `SHA256:${SHA256_HEX}`,
      `sha256:${SHA256_HEX} `,
    ]) {
      const error = thrown(() => parseDigest(value));
      expect(error.code).toBe('OCI_DIGEST_INVALID');
      expect(error.message).toContain('expected algorithm:hex');
    }
  });

  it('names the algorithm when it is not supported', () => {
    const error = thrown(() => parseDigest(`md5:${'c'.repeat(32)}`));
    expect(error.code).toBe('OCI_DIGEST_INVALID');
    expect(error.message).toContain('unsupported digest algorithm "md5"');
    expect(error.message).toContain('sha256, sha512');
  });

  it('names the encoded part when it is not lowercase hex of the right length', () => {
    const cases = [`sha256:${'a'.repeat(63)}`, `sha256:${'A'.repeat(64)}`, `sha256:${'g'.repeat(64)}`];
    for (const value of cases) {
      const error = thrown(() => parseDigest(value));
      expect(error.message).toContain('encoded part must be 64 lowercase hex digits');
    }
    expect(thrown(() => parseDigest(`sha512:${SHA256_HEX}`)).message).toContain('128 lowercase hex digits');
  });

  it('truncates long input in messages', () => {
    const error = thrown(() => parseDigest(`sha256:${'z'.repeat(500)}`));
    expect(error.message.length).toBeLessThan(250);
    expect(error.message).toContain('...');
  });
});

describe('isDigest', () => {
  it('accepts exactly what parseDigest accepts', () => {
    const samples = fc.oneof(
      fc.string(),
      fc.stringMatching(/^sha(256|512):[a-fA-F0-9]{60,130}$/),
      fc.constantFrom(`sha256:${SHA256_HEX}`, `sha512:${SHA512_HEX}`, `sha384:${'a'.repeat(96)}`),
    );
    fc.assert(
      fc.property(samples, (value) => {
        let parses = true;
        try {
          parseDigest(value);
        } catch {
          parses = false;
        }
        expect(isDigest(value)).toBe(parses);
      }),
    );
  });

  it('rejects non-strings', () => {
    for (const value of [undefined, null, 42, {}, [`sha256:${SHA256_HEX}`]])
      expect(isDigest(value)).toBe(false);
  });
});

describe('digestOf', () => {
  it('matches known vectors', () => {
    expect(digestOf('')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(digestOf('{}')).toBe('sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(digestOf(new TextEncoder().encode('abc'), 'sha512')).toBe(
      `sha512:${createHash('sha512').update('abc').digest('hex')}`,
    );
  });

  it('refuses unsupported algorithms', () => {
    expect(() => digestOf('x', 'md5')).toThrow(AppError);
    expect(() => createDigester('sha1')).toThrow(/unsupported digest algorithm "sha1"/);
  });
});

interface Outcome {
  received: Buffer;
  error?: unknown;
}

/** Pipes chunks through a verifier into a sink, returning what the sink got and how it ended. */
async function pipeThrough(chunks: Uint8Array[], expected: VerifyExpectation): Promise<Outcome> {
  const received: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk);
      callback();
    },
  });
  try {
    await pipeline(Readable.from(chunks), new DigestVerifier(expected), sink);
    return { received: Buffer.concat(received) };
  } catch (error) {
    return { received: Buffer.concat(received), error };
  }
}

/** Splits bytes at the given cut points; empty chunks are kept, as streams may deliver them. */
function split(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...cuts.map((c) => c % (data.length + 1)), 0, data.length].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  for (let i = 1; i < points.length; i++) chunks.push(data.subarray(points[i - 1], points[i]));
  return chunks;
}

const contentArb = fc.uint8Array({ minLength: 0, maxLength: 2048 });
const cutsArb = fc.array(fc.nat(), { maxLength: 12 });

describe('DigestVerifier', () => {
  it('passes matching content through unchanged, however it is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(contentArb, cutsArb, fc.boolean(), async (data, cuts, withSize) => {
        const expected = { digest: digestOf(data), size: withSize ? data.length : undefined };
        const outcome = await pipeThrough(split(data, cuts), expected);
        expect(outcome.error).toBeUndefined();
        expect(outcome.received.equals(Buffer.from(data))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('never releases all bytes of content whose digest is wrong', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 2048 }),
        cutsArb,
        fc.boolean(),
        async (data, cuts, withSize) => {
          const wrong = digestOf(Buffer.concat([Buffer.from(data), Buffer.from([0])]));
          const outcome = await pipeThrough(split(data, cuts), {
            digest: wrong,
            size: withSize ? data.length : undefined,
          });
          expect(outcome.error).toBeInstanceOf(OciError);
          expect((outcome.error as OciError).code).toBe('OCI_DIGEST_MISMATCH');
          expect(outcome.received.length).toBeLessThan(data.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('holds back the final chunk even when an empty chunk follows it', async () => {
    const data = Buffer.from('hello, world');
    const outcome = await pipeThrough([data, new Uint8Array(0), new Uint8Array(0)], {
      digest: digestOf('something else'),
    });
    expect((outcome.error as OciError).code).toBe('OCI_DIGEST_MISMATCH');
    expect(outcome.received.length).toBe(0);
  });

  it('reports the mismatch with both digests and the expected one in context', async () => {
    const expected = digestOf('expected');
    const outcome = await pipeThrough([Buffer.from('actual')], { digest: expected });
    const error = outcome.error as OciError;
    expect(error.message).toContain(digestOf('actual'));
    expect(error.message).toContain(expected);
    expect(error.context.digest).toBe(expected);
    expect(error.retryable).toBe(true);
  });

  it('fails with OCI_SIZE_INVALID as soon as content exceeds its size, before the end', async () => {
    const data = Buffer.from('0123456789');
    const verifier = new DigestVerifier({ digest: digestOf(data), size: 4 });
    const received: Buffer[] = [];
    verifier.on('data', (chunk: Buffer) => received.push(chunk));
    const failed = new Promise<unknown>((resolve) => verifier.once('error', resolve));
    verifier.write(data.subarray(0, 3));
    verifier.write(data.subarray(3, 6));
    // No end(): the error must come from the write that crossed the declared size.
    const error = (await failed) as OciError;
    expect(error.code).toBe('OCI_SIZE_INVALID');
    expect(error.message).toContain('longer than its declared size 4');
    expect(Buffer.concat(received).toString()).toBe('');
    expect(verifier.bytes).toBe(6);
  });

  it('fails with OCI_CONTENT_TRUNCATED when content ends early, releasing no final chunk', async () => {
    const data = Buffer.from('0123456789');
    const outcome = await pipeThrough([data.subarray(0, 4), data.subarray(4, 8)], {
      digest: digestOf(data),
      size: data.length,
    });
    const error = outcome.error as OciError;
    expect(error.code).toBe('OCI_CONTENT_TRUNCATED');
    expect(error.message).toContain('ended after 8 of 10 bytes');
    expect(outcome.received.toString()).toBe('0123');
  });

  it('treats size -1 as unknown', async () => {
    const data = Buffer.from('payload');
    const outcome = await pipeThrough([data], { digest: digestOf(data), size: -1 });
    expect(outcome.error).toBeUndefined();
    expect(outcome.received.toString()).toBe('payload');
  });

  it('verifies sha512 digests', async () => {
    const data = Buffer.from('sha512 content');
    const outcome = await pipeThrough([data.subarray(0, 5), data.subarray(5)], {
      digest: digestOf(data, 'sha512'),
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.received.equals(data)).toBe(true);
  });

  it('refuses an invalid expected digest at construction', () => {
    expect(() => new DigestVerifier({ digest: 'sha256:nope' })).toThrow(AppError);
  });
});

describe('verifyBytes', () => {
  const data = new TextEncoder().encode('layer bytes');

  it('accepts matching content, with or without size', () => {
    expect(() => verifyBytes(data, { digest: digestOf(data) })).not.toThrow();
    expect(() => verifyBytes(data, { digest: digestOf(data), size: data.length })).not.toThrow();
  });

  it('distinguishes short, long and different content', () => {
    expect(thrown(() => verifyBytes(data, { digest: digestOf(data), size: data.length + 1 })).code).toBe(
      'OCI_CONTENT_TRUNCATED',
    );
    expect(thrown(() => verifyBytes(data, { digest: digestOf(data), size: data.length - 1 })).code).toBe(
      'OCI_SIZE_INVALID',
    );
    const mismatch = thrown(() => verifyBytes(data, { digest: digestOf('other'), size: data.length }));
    expect(mismatch.code).toBe('OCI_DIGEST_MISMATCH');
    expect((mismatch as OciError).context.digest).toBe(digestOf('other'));
  });

  it('checks with the expected algorithm', () => {
    expect(() => verifyBytes(data, { digest: digestOf(data, 'sha512') })).not.toThrow();
    expect(() => verifyBytes(data, { digest: `sha512:${SHA512_HEX}` })).toThrow(/does not match/);
  });
});
