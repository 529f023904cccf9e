/**
 * Named points between the steps of a write where a crash-safety test can make the process
 * die at once, as a power cut or `kill -9` would: `AIRLOCK_REGISTRY_CRASH_AT=blob-committed`
 * (comma-separated for several). Read once at start; without the variable every point is a
 * no-op, so production behaviour is unchanged.
 */
export type CrashPoint =
  /** Chunk bytes written to the upload's data file, session state not yet updated. */
  | 'upload-chunk-written'
  /** Blob renamed into the content store, not yet linked into the repository. */
  | 'blob-committed'
  /** Manifest bytes stored, neither referrers entry nor revision written. */
  | 'manifest-stored'
  /** Manifest revision written, tag not yet moved. */
  | 'revision-written';

const armed = new Set((process.env.AIRLOCK_REGISTRY_CRASH_AT ?? '').split(',').filter((p) => p !== ''));

export function crashPoint(point: CrashPoint): void {
  if (armed.size > 0 && armed.has(point)) process.kill(process.pid, 'SIGKILL');
}
