import { constants, createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, rm, stat } from 'node:fs/promises';
import { randomUUID, type Hash } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  AppError,
  type Clock,
  createDigester,
  type Digest,
  OciError,
  parseDigest,
} from '../../kernel/index.js';
import { type Durability, isNotFound, writeFileAtomic } from './atomic.js';
import { StatCache } from './stat-cache.js';
import type { BlobStore } from './blob-store.js';
import type { StoragePaths } from './paths.js';
import { crashPoint } from './crash-points.js';
import type { CallOptions } from '../../oci/content/index.js';

export interface UploadSession {
  id: string;
  repository: string;
  /** Bytes received so far: the next chunk must start here. */
  offset: number;
  createdAt: number;
  updatedAt: number;
}

export interface UploadStoreOptions {
  paths: StoragePaths;
  blobs: BlobStore;
  durability: Durability;
  clock: Clock;
  /** A session idle for longer than this is gone (BLOB_UPLOAD_UNKNOWN) and removed by gc. */
  expiryMs: number;
  /** Largest blob accepted; 0 for no limit. */
  maxBlobBytes: number;
}

export interface AppendOptions {
  /** Offset the chunk claims to start at (Content-Range); 416 unless it is the session's offset. */
  start?: number;
  /** Exact number of bytes the chunk must have (from Content-Range or Content-Length). */
  length?: number;
  signal?: AbortSignal;
}

/** How many sessions keep an incremental hash in memory per process. */
const MAX_LIVE_HASHES = 1_000;
const STATE_FILE = 'state.json';
const NO_FSYNC = { fsync: false };
/** Read-write, created when missing, never truncated on open (positional writes need that). */
const OPEN_DATA = constants.O_RDWR | constants.O_CREAT;
const DATA_FILE = 'data';
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Blob upload sessions as a directory per session holding the received bytes and a small
 * state file, so that any process sharing the storage can continue a chunked upload. The
 * state file is the truth: a chunk counts once the state records it, and the bytes past the
 * recorded offset left by a crash mid-chunk are cut off before the next chunk is written.
 *
 * Node cannot persist a hash's internal state, so each process keeps the running sha256 of
 * the sessions it is receiving; when the chunks of a session went through several processes
 * the digest is computed from the data file at completion instead.
 */
export class UploadStore {
  private readonly options: UploadStoreOptions;
  private readonly hashes = new Map<string, { offset: number; hash: Hash }>();
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Session states, validated by stat, so that a process continuing its own upload reads no file. */
  private readonly states = new StatCache<UploadSession>(
    MAX_LIVE_HASHES,
    (bytes) => JSON.parse(bytes.toString('utf8')) as UploadSession,
  );

  constructor(options: UploadStoreOptions) {
    this.options = options;
  }

  async create(repository: string, { signal }: CallOptions = {}): Promise<UploadSession> {
    const now = this.options.clock.now();
    const session: UploadSession = {
      id: randomUUID(),
      repository,
      offset: 0,
      createdAt: now,
      updatedAt: now,
    };
    // The data file is created by the first chunk (or the commit of an empty blob).
    await mkdir(this.options.paths.upload(session.id), { recursive: true });
    await this.writeState(session, signal);
    return session;
  }

  /** The session, or undefined when it does not exist, belongs to another repository or expired. */
  async get(id: string, repository: string): Promise<UploadSession | undefined> {
    if (!SESSION_ID.test(id)) return undefined;
    const session = await this.states.get(join(this.options.paths.upload(id), STATE_FILE));
    if (session?.repository !== repository) return undefined;
    if (this.options.clock.now() - session.updatedAt > this.options.expiryMs) return undefined;
    return session;
  }

  /** Appends a chunk at the session's offset; on any failure the session is left as it was. */
  append(session: UploadSession, source: Readable, options: AppendOptions = {}): Promise<UploadSession> {
    return this.exclusive(session.id, () => this.appendLocked(session, source, options));
  }

  /**
   * Verifies the received bytes against `digest` and moves them into the blob store. A
   * mismatch removes the session (its content is wrong) and fails with DIGEST_INVALID.
   */
  complete(session: UploadSession, digest: Digest, { signal }: CallOptions = {}): Promise<void> {
    return this.exclusive(session.id, async () => {
      const current = await this.get(session.id, session.repository);
      if (!current) throw unknownUpload(session);
      const dataPath = join(this.options.paths.upload(current.id), DATA_FILE);
      // Bytes past the recorded offset are a chunk that never completed (a crash mid-PATCH).
      await settleDataFile(dataPath, current.offset, this.options.durability.fsync);
      const actual = await this.digestOf(current, parseDigest(digest).algorithm, dataPath, signal);
      if (actual !== digest) {
        await this.remove(session.id);
        throw new OciError(
          'OCI_DIGEST_INVALID',
          `uploaded content has digest ${actual}, not the ${digest} given in the digest parameter`,
          {
            repository: session.repository,
            digest,
          },
        );
      }
      await this.options.blobs.commitFile(dataPath, digest);
      await this.remove(session.id);
    });
  }

  async remove(id: string): Promise<void> {
    this.hashes.delete(id);
    this.states.invalidate(join(this.options.paths.upload(id), STATE_FILE));
    await rm(this.options.paths.upload(id), { recursive: true, force: true });
  }

  private async appendLocked(
    session: UploadSession,
    source: Readable,
    options: AppendOptions,
  ): Promise<UploadSession> {
    const current = await this.get(session.id, session.repository);
    if (!current) throw unknownUpload(session);
    if (options.start !== undefined && options.start !== current.offset) {
      throw new OciError(
        'OCI_RANGE_INVALID',
        `chunk starts at byte ${options.start}, but the upload has ${current.offset} bytes; continue at ${current.offset}`,
        { repository: current.repository },
        { details: { offset: current.offset } },
      );
    }
    const limit = this.limitFor(current, options.length);
    const live = this.takeHash(current);
    let written: number;
    const handle = await open(join(this.options.paths.upload(current.id), DATA_FILE), OPEN_DATA, 0o644);
    try {
      await handle.truncate(current.offset);
      written = await writeChunk(source, handle, current.offset, {
        limit,
        hash: live?.hash,
        signal: options.signal,
      });
    } catch (error) {
      this.hashes.delete(current.id);
      throw error;
    } finally {
      await handle.close();
    }
    if (options.length !== undefined && written !== options.length) {
      this.hashes.delete(current.id);
      throw new OciError(
        'OCI_SIZE_INVALID',
        `chunk has ${written} bytes, but its Content-Range or Content-Length announced ${options.length}`,
        {
          repository: current.repository,
        },
      );
    }
    crashPoint('upload-chunk-written');
    const next: UploadSession = {
      ...current,
      offset: current.offset + written,
      updatedAt: this.options.clock.now(),
    };
    await this.writeState(next, options.signal);
    if (live) this.rememberHash(next.id, { offset: next.offset, hash: live.hash });
    return next;
  }

  private limitFor(session: UploadSession, length: number | undefined): number {
    const max = this.options.maxBlobBytes;
    if (max > 0 && length !== undefined && session.offset + length > max) {
      throw new OciError(
        'OCI_BODY_TOO_LARGE',
        `blob would be ${session.offset + length} bytes, over the limit of ${max}`,
        {
          repository: session.repository,
        },
      );
    }
    return max > 0 ? max - session.offset : Number.POSITIVE_INFINITY;
  }

  /** The running hash of a session if this process saw all of its bytes so far. */
  private takeHash(session: UploadSession): { offset: number; hash: Hash } | undefined {
    const live = this.hashes.get(session.id);
    if (live && live.offset === session.offset) return live;
    this.hashes.delete(session.id);
    return session.offset === 0 ? { offset: 0, hash: createDigester('sha256') } : undefined;
  }

  private rememberHash(id: string, live: { offset: number; hash: Hash }): void {
    this.hashes.delete(id);
    if (this.hashes.size >= MAX_LIVE_HASHES) {
      const oldest = this.hashes.keys().next().value;
      if (oldest !== undefined) this.hashes.delete(oldest);
    }
    this.hashes.set(id, live);
  }

  private async digestOf(
    session: UploadSession,
    algorithm: string,
    dataPath: string,
    signal?: AbortSignal,
  ): Promise<Digest> {
    const live = this.hashes.get(session.id);
    if (algorithm === 'sha256' && live && live.offset === session.offset)
      return `sha256:${live.hash.copy().digest('hex')}`;
    const hash = createDigester(algorithm);
    // An empty upload has nothing to read (and a read stream cannot express an empty range).
    if (session.offset > 0) {
      const stream = createReadStream(dataPath, {
        start: 0,
        end: session.offset - 1,
        highWaterMark: 1 << 20,
      });
      for await (const chunk of stream.iterator({ destroyOnReturn: true })) {
        if (signal?.aborted) throw new AppError('ABORTED', 'upload completion cancelled');
        hash.update(chunk as Buffer);
      }
    }
    return `${algorithm}:${hash.digest('hex')}`;
  }

  /**
   * Session state is renamed into place (atomic against process crashes) but not fsynced:
   * after a power loss a stale or lost state only makes the upload fail its digest check or
   * be unknown, and the client starts over — while skipping two fsyncs per chunk.
   */
  private async writeState(session: UploadSession, signal?: AbortSignal): Promise<void> {
    const target = join(this.options.paths.upload(session.id), STATE_FILE);
    await writeFileAtomic(this.options.paths.tmpDir, target, JSON.stringify(session), NO_FSYNC, { signal });
    this.states.invalidate(target);
  }

  private async exclusive<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.catch(() => undefined);
    this.locks.set(id, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    }
  }
}

/** Bytes gathered before one positional write: few syscalls without holding much memory. */
const WRITE_BATCH_BYTES = 1 << 20;

interface WriteChunkOptions {
  /** Most bytes accepted. */
  limit: number;
  hash: Hash | undefined;
  signal?: AbortSignal;
}

/**
 * Copies a request body into the data file at `position`, hashing on the way. The body
 * stream is read but never destroyed here, so that the caller can still answer the client
 * (e.g. 413) when the body is refused.
 */
async function writeChunk(
  source: Readable,
  handle: FileHandle,
  position: number,
  options: WriteChunkOptions,
): Promise<number> {
  let total = 0;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let at = position;
  // One write in flight while the next batch is received: disk and network overlap, and
  // at most two batches are held in memory.
  let inflight: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (batchBytes === 0) return;
    const chunks = batch;
    const size = batchBytes;
    const offset = at;
    batch = [];
    batchBytes = 0;
    at += size;
    await inflight;
    inflight = writeAll(handle, chunks, size, offset);
    inflight.catch(() => undefined);
  };
  try {
    for await (const chunk of source.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > options.limit) {
        throw new OciError(
          'OCI_BODY_TOO_LARGE',
          `blob upload exceeds the size limit (${options.limit + position} bytes)`,
        );
      }
      if (options.signal?.aborted) throw new AppError('ABORTED', 'upload cancelled');
      options.hash?.update(chunk);
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= WRITE_BATCH_BYTES) await flush();
    }
    await flush();
    await inflight;
    return total;
  } finally {
    // Never leave a write running against a handle the caller is about to close.
    await inflight.catch(() => undefined);
  }
}

async function writeAll(handle: FileHandle, chunks: Buffer[], size: number, offset: number): Promise<void> {
  const { bytesWritten } = await handle.writev(chunks, offset);
  if (bytesWritten !== size) {
    throw new AppError(
      'REGISTRY_STORAGE_FAILED',
      `short write to an upload (${bytesWritten} of ${size} bytes)`,
    );
  }
}

/** Cuts the data file to the recorded offset and, with fsync on, makes it durable before it is committed. */
async function settleDataFile(path: string, offset: number, fsync: boolean): Promise<void> {
  const handle = await open(path, OPEN_DATA, 0o644);
  try {
    await handle.truncate(offset);
    // fdatasync: the data and its size, which is what reading it back needs (not its timestamps).
    if (fsync) await handle.datasync();
  } finally {
    await handle.close();
  }
}

function unknownUpload(session: UploadSession): OciError {
  return new OciError(
    'OCI_BLOB_UPLOAD_UNKNOWN',
    `upload ${session.id} of ${session.repository} does not exist or expired`,
    {
      repository: session.repository,
    },
  );
}

/** Size of an upload session's data on disk (for gc reports). */
export async function uploadBytes(paths: StoragePaths, id: string): Promise<number> {
  try {
    return (await stat(join(paths.upload(id), DATA_FILE))).size;
  } catch (error) {
    if (isNotFound(error)) return 0;
    throw error;
  }
}

export { STATE_FILE as UPLOAD_STATE_FILE };
