import { type Readable, Transform } from 'node:stream';
import { OciError } from '../../../kernel/index.js';
import type {
  CallOptions,
  ListReferrersOptions,
  ListTagsOptions,
  PushManifestOptions,
  Target,
} from '../../content/index.js';
import type { Descriptor, Manifest } from '../../manifest/index.js';

export type Operation =
  | 'fetchBlob'
  | 'pushBlob'
  | 'blobExists'
  | 'resolve'
  | 'fetchManifest'
  | 'manifestExists'
  | 'pushManifest'
  | 'listReferrers'
  | 'tag';

export interface InjectedFault {
  operation: 'fetchBlob' | 'pushBlob';
  /** How many times the fault fires before the target behaves again. */
  times: number;
  /** `reset`: the stream fails after some bytes with a retryable error; `corrupt`: one byte flipped; `deny`: non-retryable error. */
  kind: 'reset' | 'corrupt' | 'deny';
}

/**
 * Wraps a content store, counting calls and injecting faults on blob transfers — a working
 * fake for copy-engine tests, where a real registry cannot be told to fail on cue.
 */
export class InstrumentedTarget implements Target {
  readonly calls = new Map<Operation, number>();
  readonly fetchedBlobs: string[] = [];
  readonly pushedBlobs: string[] = [];
  private faults: InjectedFault[] = [];

  constructor(readonly inner: Target) {}

  get location(): Target['location'] {
    return this.inner.location;
  }

  inject(fault: InjectedFault): void {
    this.faults.push({ ...fault });
  }

  count(operation: Operation): number {
    return this.calls.get(operation) ?? 0;
  }

  async fetchBlob(descriptor: Descriptor, options?: CallOptions): Promise<Readable> {
    this.bump('fetchBlob');
    this.fetchedBlobs.push(descriptor.digest);
    const fault = this.take('fetchBlob');
    if (fault?.kind === 'deny')
      throw new OciError('OCI_DENIED', `denied ${descriptor.digest}`, { digest: descriptor.digest });
    const stream = await this.inner.fetchBlob(descriptor, options);
    if (fault?.kind === 'reset') return stream.pipe(failAfter(Math.floor(descriptor.size / 2)));
    if (fault?.kind === 'corrupt') return stream.pipe(flipFirstByte());
    return stream;
  }

  async pushBlob(descriptor: Descriptor, content: Readable, options?: CallOptions): Promise<void> {
    this.bump('pushBlob');
    this.pushedBlobs.push(descriptor.digest);
    const fault = this.take('pushBlob');
    if (fault) {
      content.destroy();
      throw new OciError(
        fault.kind === 'deny' ? 'OCI_DENIED' : 'OCI_REGISTRY_ERROR',
        `push of ${descriptor.digest} failed`,
        { digest: descriptor.digest },
      );
    }
    return this.inner.pushBlob(descriptor, content, options);
  }

  blobExists(descriptor: Descriptor, options?: CallOptions): Promise<boolean> {
    this.bump('blobExists');
    return this.inner.blobExists(descriptor, options);
  }

  resolve(reference: string, options?: CallOptions): Promise<Descriptor> {
    this.bump('resolve');
    return this.inner.resolve(reference, options);
  }

  fetchManifest(reference: string | Descriptor, options?: CallOptions): Promise<Manifest> {
    this.bump('fetchManifest');
    return this.inner.fetchManifest(reference, options);
  }

  manifestExists(descriptor: Descriptor, options?: CallOptions): Promise<boolean> {
    this.bump('manifestExists');
    return this.inner.manifestExists(descriptor, options);
  }

  pushManifest(
    manifest: Pick<Manifest, 'descriptor' | 'bytes'>,
    options?: PushManifestOptions,
  ): Promise<void> {
    this.bump('pushManifest');
    return this.inner.pushManifest(manifest, options);
  }

  tag(descriptor: Descriptor, tag: string, options?: CallOptions): Promise<void> {
    this.bump('tag');
    return this.inner.tag(descriptor, tag, options);
  }

  listTags(options?: ListTagsOptions): AsyncIterable<string> {
    return this.inner.listTags(options);
  }

  listReferrers(subject: Descriptor, options?: ListReferrersOptions): Promise<Descriptor[]> {
    this.bump('listReferrers');
    return this.inner.listReferrers(subject, options);
  }

  private bump(operation: Operation): void {
    this.calls.set(operation, this.count(operation) + 1);
  }

  private take(operation: InjectedFault['operation']): InjectedFault | undefined {
    const fault = this.faults.find((f) => f.operation === operation && f.times > 0);
    if (fault) fault.times--;
    return fault;
  }
}

function failAfter(bytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > bytes) {
        const error = Object.assign(new Error('connection reset by fault injection'), { code: 'ECONNRESET' });
        callback(new OciError('OCI_REGISTRY_UNREACHABLE', error.message, {}, { cause: error }));
        return;
      }
      callback(null, chunk);
    },
  });
}

function flipFirstByte(): Transform {
  let flipped = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (!flipped && chunk.length > 0) {
        const copy = Buffer.from(chunk);
        copy[0] = copy[0]! ^ 0xff;
        flipped = true;
        callback(null, copy);
        return;
      }
      callback(null, chunk);
    },
  });
}
