import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError, OciError } from './errors.js';

/**
 * A content digest, `algorithm:encoded` (OCI image-spec v1.1, "Digests"). Kept as a plain
 * string so that it serialises as itself; validated at the edges with {@link parseDigest}.
 */
export type Digest = string;

export interface ParsedDigest {
  algorithm: string;
  encoded: string;
}

// image-spec v1.1 descriptor.md: algorithm-component ([a-z0-9]+) joined by [+._-], then ':'
// and the encoded part [a-zA-Z0-9=_-]+.
const DIGEST_GRAMMAR = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Registered algorithms and the exact form of their encoded part. */
const REGISTERED: Record<string, RegExp> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};

export const SUPPORTED_ALGORITHMS = Object.keys(REGISTERED);

export function isDigest(value: unknown): value is Digest {
  if (typeof value !== 'string' || !DIGEST_GRAMMAR.test(value)) return false;
  const colon = value.indexOf(':');
  const pattern = REGISTERED[value.slice(0, colon)];
  return pattern !== undefined && pattern.test(value.slice(colon + 1));
}

/** Parses and validates a digest; the error names the part that is wrong. */
export function parseDigest(value: string): ParsedDigest {
  if (!DIGEST_GRAMMAR.test(value)) {
    throw new AppError(
      'OCI_DIGEST_INVALID',
      `invalid digest "${truncate(value)}": expected algorithm:hex, e.g. sha256:<64 hex digits>`,
    );
  }
  const colon = value.indexOf(':');
  const algorithm = value.slice(0, colon);
  const encoded = value.slice(colon + 1);
  const pattern = REGISTERED[algorithm];
  if (!pattern) {
    throw new AppError(
      'OCI_DIGEST_INVALID',
      `unsupported digest algorithm "${algorithm}" in "${truncate(value)}": supported are ${SUPPORTED_ALGORITHMS.join(', ')}`,
    );
  }
  if (!pattern.test(encoded)) {
    throw new AppError(
      'OCI_DIGEST_INVALID',
      `invalid ${algorithm} digest "${truncate(value)}": the encoded part must be ${algorithm === 'sha256' ? 64 : 128} lowercase hex digits`,
    );
  }
  return { algorithm, encoded };
}

export function createDigester(algorithm = 'sha256'): Hash {
  if (!REGISTERED[algorithm])
    throw new AppError('OCI_DIGEST_INVALID', `unsupported digest algorithm "${algorithm}"`);
  return createHash(algorithm);
}

/** The sha256 (or given algorithm) digest of bytes. */
export function digestOf(data: Uint8Array | string, algorithm = 'sha256'): Digest {
  return `${algorithm}:${createDigester(algorithm).update(data).digest('hex')}`;
}

export interface VerifyExpectation {
  digest: Digest;
  /** Expected size in bytes; -1 or undefined when unknown. */
  size?: number;
}

/**
 * A pass-through stream that hashes and counts what flows through it and fails — before
 * the last byte is released downstream — when the content does not match its descriptor.
 * Holding back the final chunk until the digest is checked means a consumer that writes
 * to a destination only commits content that verified.
 */
export class DigestVerifier extends Transform {
  readonly expected: VerifyExpectation;
  private readonly hash: Hash;
  private readonly algorithm: string;
  private received = 0;
  private pending: Buffer | undefined;

  constructor(expected: VerifyExpectation) {
    super();
    this.expected = expected;
    this.algorithm = parseDigest(expected.digest).algorithm;
    this.hash = createDigester(this.algorithm);
  }

  get bytes(): number {
    return this.received;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    // An empty chunk must not take the held-back chunk's place, or the last bytes would be
    // released before the digest is checked.
    if (chunk.length === 0) {
      callback();
      return;
    }
    this.received += chunk.length;
    const size = this.expected.size;
    if (size !== undefined && size >= 0 && this.received > size) {
      callback(
        new OciError(
          'OCI_SIZE_INVALID',
          `content of ${this.expected.digest} is longer than its declared size ${size}`,
          {
            digest: this.expected.digest,
          },
          { retryable: true },
        ),
      );
      return;
    }
    this.hash.update(chunk);
    const previous = this.pending;
    this.pending = chunk;
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    const size = this.expected.size;
    if (size !== undefined && size >= 0 && this.received !== size) {
      callback(
        new OciError(
          'OCI_CONTENT_TRUNCATED',
          `content of ${this.expected.digest} ended after ${this.received} of ${size} bytes`,
          {
            digest: this.expected.digest,
          },
        ),
      );
      return;
    }
    const actual = `${this.algorithm}:${this.hash.digest('hex')}`;
    if (actual !== this.expected.digest) {
      callback(
        new OciError(
          'OCI_DIGEST_MISMATCH',
          `content digest ${actual} does not match expected ${this.expected.digest}`,
          {
            digest: this.expected.digest,
          },
        ),
      );
      return;
    }
    callback(null, this.pending);
  }
}

/** Checks bytes already in memory against a descriptor's digest and size. */
export function verifyBytes(data: Uint8Array, expected: VerifyExpectation): void {
  if (expected.size !== undefined && expected.size >= 0 && data.length !== expected.size) {
    throw new OciError(
      data.length < expected.size ? 'OCI_CONTENT_TRUNCATED' : 'OCI_SIZE_INVALID',
      `content of ${expected.digest} is ${data.length} bytes, expected ${expected.size}`,
      { digest: expected.digest },
    );
  }
  const { algorithm } = parseDigest(expected.digest);
  const actual = digestOf(data, algorithm);
  if (actual !== expected.digest) {
    throw new OciError(
      'OCI_DIGEST_MISMATCH',
      `content digest ${actual} does not match expected ${expected.digest}`,
      {
        digest: expected.digest,
      },
    );
  }
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

/** Streams known to fail (before their last byte) unless their content matches an expectation. */
const vouched = new WeakMap<object, VerifyExpectation>();

/**
 * Declares that `stream` carries content already being verified against `expected` (e.g. a
 * pass-through fed by a {@link DigestVerifier} whose errors it forwards), so that a consumer
 * need not hash it again.
 */
export function vouchFor<T extends object>(stream: T, expected: VerifyExpectation): T {
  vouched.set(stream, expected);
  return stream;
}

/** Whether `stream` is known to be verified against exactly this digest and size. */
export function isVerifiedFor(stream: object, expected: VerifyExpectation): boolean {
  const known = stream instanceof DigestVerifier ? stream.expected : vouched.get(stream);
  return (
    known !== undefined &&
    known.digest === expected.digest &&
    (expected.size === undefined || known.size === expected.size)
  );
}
