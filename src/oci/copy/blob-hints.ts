/**
 * Where blobs were seen before this run: repositories of a registry worth trying as mount
 * sources before uploading a blob again. Only a hint — a mount the registry refuses costs a
 * `POST` and the cancel of the upload session it opened, then the blob is uploaded as usual.
 */
export interface BlobLocationHints {
  /** Repositories of `registry` believed to hold `digest`, most recently seen first. */
  repositoriesHolding(registry: string, digest: string): Promise<string[]>;
  /** Records that `repository` of `registry` holds `digest` (found, mounted or copied there). */
  remember(registry: string, digest: string, repository: string): void;
}

/** How many hinted repositories a blob's mount is tried from before it is uploaded. */
export const MAX_HINTED_MOUNTS = 3;
