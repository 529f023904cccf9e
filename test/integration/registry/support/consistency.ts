import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Checks the invariants a crash must never break in a registry storage directory, and
 * returns every violation found (empty when consistent):
 * - every blob file's content has the digest it is stored under (no torn or wrong blob);
 * - every tag names a manifest revision of its repository, and no metadata file is empty;
 * - every revision's manifest bytes exist, and so does everything the manifest references.
 */
export async function checkStorageConsistency(root: string): Promise<string[]> {
  const problems: string[] = [];
  const blobs = await blobDigests(root, problems);
  for (const repo of await repositories(join(root, 'repositories'), '')) {
    const dir = join(root, 'repositories', repo);
    const revisions = new Set<string>();
    for (const digest of await digestsUnder(join(dir, '_manifests', 'revisions'))) {
      revisions.add(digest);
      const mediaType = (
        await readFile(join(dir, '_manifests', 'revisions', ...digest.split(':')), 'utf8')
      ).trim();
      if (mediaType === '') problems.push(`${repo}: revision ${digest} has an empty media type`);
      if (!blobs.has(digest)) {
        problems.push(`${repo}: revision ${digest} has no manifest bytes`);
        continue;
      }
      const manifest = JSON.parse(await readFile(blobPath(root, digest), 'utf8')) as {
        config?: { digest: string };
        layers?: { digest: string }[];
        manifests?: { digest: string }[];
      };
      for (const ref of [manifest.config, ...(manifest.layers ?? []), ...(manifest.manifests ?? [])]) {
        if (ref && !blobs.has(ref.digest))
          problems.push(`${repo}: ${digest} references missing ${ref.digest}`);
      }
    }
    for (const tag of await list(join(dir, '_manifests', 'tags'))) {
      const target = (await readFile(join(dir, '_manifests', 'tags', tag), 'utf8')).trim();
      if (!revisions.has(target))
        problems.push(`${repo}: tag ${tag} points to ${target || '(empty)'}, which is no revision`);
    }
  }
  return problems;
}

async function blobDigests(root: string, problems: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const algorithm of await list(join(root, 'blobs'))) {
    for (const prefix of await list(join(root, 'blobs', algorithm))) {
      for (const encoded of await list(join(root, 'blobs', algorithm, prefix))) {
        const bytes = await readFile(join(root, 'blobs', algorithm, prefix, encoded));
        const actual = createHash(algorithm).update(bytes).digest('hex');
        if (actual !== encoded)
          problems.push(`blob ${algorithm}:${encoded} holds content with digest ${actual}`);
        else found.add(`${algorithm}:${encoded}`);
      }
    }
  }
  return found;
}

function blobPath(root: string, digest: string): string {
  const [algorithm, encoded] = digest.split(':') as [string, string];
  return join(root, 'blobs', algorithm, encoded.slice(0, 2), encoded);
}

async function repositories(dir: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  if (entries.some((e) => e.name === '_manifests' || e.name === '_layers')) out.push(prefix);
  for (const entry of entries) {
    if (entry.isDirectory() && !entry.name.startsWith('_'))
      out.push(
        ...(await repositories(join(dir, entry.name), prefix ? `${prefix}/${entry.name}` : entry.name)),
      );
  }
  return out;
}

async function digestsUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const algorithm of await list(dir))
    for (const encoded of await list(join(dir, algorithm))) out.push(`${algorithm}:${encoded}`);
  return out;
}

async function list(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}
