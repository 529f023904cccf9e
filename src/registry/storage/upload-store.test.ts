import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/index.js';
import { FakeClock } from '../../kernel/testing/fake-clock.js';
import { BlobStore } from './blob-store.js';
import { StoragePaths } from './paths.js';
import { UploadStore } from './upload-store.js';

const HOUR = 3_600_000;
let dir: string;
let clock: FakeClock;
let paths: StoragePaths;
let uploads: UploadStore;

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function makeStore(maxBlobBytes = 0): UploadStore {
  const durability = { fsync: false };
  return new UploadStore({
    paths,
    blobs: new BlobStore({ paths, durability, clock }),
    durability,
    clock,
    expiryMs: 24 * HOUR,
    maxBlobBytes,
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-uploads-'));
  clock = new FakeClock();
  paths = new StoragePaths(dir);
  uploads = makeStore();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('UploadStore', () => {
  it('appends chunks in order and commits content that matches its digest', async () => {
    const content = Buffer.from('hello, registry');
    let session = await uploads.create('repo/a');
    session = await uploads.append(session, Readable.from([content.subarray(0, 5)]), { length: 5 });
    session = await uploads.append(session, Readable.from([content.subarray(5)]));
    expect(session.offset).toBe(content.length);
    await uploads.complete(session, sha256(content));
    expect(await readFile(paths.blob(sha256(content)))).toEqual(content);
    expect(await uploads.get(session.id, 'repo/a')).toBeUndefined();
  });

  it('commits an empty blob', async () => {
    const empty = Buffer.alloc(0);
    await uploads.complete(await uploads.create('repo/a'), sha256(empty));
    expect((await stat(paths.blob(sha256(empty)))).size).toBe(0);
  });

  it('verifies by re-reading the data when another process received some chunks', async () => {
    const content = Buffer.alloc(10_000, 7);
    let session = await uploads.create('repo/a');
    session = await uploads.append(session, Readable.from([content.subarray(0, 4_000)]));
    // A second store stands for another process: it has no running hash of this session.
    session = await makeStore().append(session, Readable.from([content.subarray(4_000)]));
    await uploads.complete(session, sha256(content));
    expect((await stat(paths.blob(sha256(content)))).size).toBe(10_000);
  });

  it('refuses and forgets content whose digest does not match', async () => {
    const session = await uploads.append(await uploads.create('repo/a'), Readable.from([Buffer.from('abc')]));
    await expect(uploads.complete(session, sha256(Buffer.from('abd')))).rejects.toMatchObject({
      code: 'OCI_DIGEST_INVALID',
    });
    expect(await uploads.get(session.id, 'repo/a')).toBeUndefined();
  });

  it('leaves the session as it was when a chunk is shorter than announced', async () => {
    const session = await uploads.create('repo/a');
    await expect(
      uploads.append(session, Readable.from([Buffer.from('abc')]), { length: 10 }),
    ).rejects.toMatchObject({ code: 'OCI_SIZE_INVALID' });
    expect((await uploads.get(session.id, 'repo/a'))?.offset).toBe(0);
  });

  it('cuts off bytes a crashed chunk left past the recorded offset', async () => {
    const content = Buffer.from('0123456789');
    const session = await uploads.append(
      await uploads.create('repo/a'),
      Readable.from([content.subarray(0, 5)]),
    );
    await writeFile(
      join(paths.upload(session.id), 'data'),
      Buffer.concat([content.subarray(0, 5), Buffer.from('garbage')]),
    );
    await uploads.complete(session, sha256(content.subarray(0, 5)));
    expect(await readFile(paths.blob(sha256(content.subarray(0, 5))))).toEqual(content.subarray(0, 5));
  });

  it('enforces the blob size limit, announced or streamed', async () => {
    const limited = makeStore(8);
    const session = await limited.create('repo/a');
    await expect(
      limited.append(session, Readable.from([Buffer.alloc(9)]), { length: 9 }),
    ).rejects.toMatchObject({ code: 'OCI_BODY_TOO_LARGE' });
    await expect(
      limited.append(session, Readable.from([Buffer.alloc(4), Buffer.alloc(5)])),
    ).rejects.toBeInstanceOf(AppError);
    expect((await limited.get(session.id, 'repo/a'))?.offset).toBe(0);
  });

  it('hides sessions of other repositories, malformed ids and expired sessions', async () => {
    const session = await uploads.create('repo/a');
    expect(await uploads.get(session.id, 'repo/b')).toBeUndefined();
    expect(await uploads.get('../../etc', 'repo/a')).toBeUndefined();
    clock.advance(23 * HOUR);
    expect(await uploads.get(session.id, 'repo/a')).toBeDefined();
    clock.advance(2 * HOUR);
    expect(await uploads.get(session.id, 'repo/a')).toBeUndefined();
  });
});
