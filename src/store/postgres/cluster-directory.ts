import { createHash } from 'node:crypto';
import { chmod, mkdir, readlink, rm, stat, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** Where clusters go when the postgres user cannot reach the data directory. */
const RELOCATED_ROOT = '/var/lib/airlock';

export interface ClusterDirectory {
  /** The directory Postgres keeps its files in. */
  path: string;
  /** The ancestor that kept the postgres user out of the data directory, when relocated. */
  blockedBy?: string;
}

/**
 * The directory of the embedded Postgres cluster: `<dataDir>/postgres`. As root, Postgres runs
 * as the `postgres` user, which must be able to traverse every ancestor of that directory; a
 * data directory under `/root` (mode 0700) or under a private temporary directory is not
 * reachable. Airlock does not loosen the permissions of directories it does not own: it keeps
 * that cluster under `/var/lib/airlock/<hash of the data directory>/postgres` instead, with
 * `<dataDir>/postgres` a symbolic link to it, so that the data directory still shows where its
 * database is.
 */
export async function clusterDirectory(dataDir: string, asRoot: boolean): Promise<ClusterDirectory> {
  const inside = join(dataDir, 'postgres');
  const linked = await readlink(inside).catch(() => undefined);
  if (linked) return { path: resolve(dataDir, linked) };
  if (!asRoot || (await exists(join(inside, 'PG_VERSION')))) return { path: inside };
  const blockedBy = await untraversableAncestor(resolve(dataDir));
  if (!blockedBy) return { path: inside };
  const home = join(RELOCATED_ROOT, createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16));
  await mkdir(home, { recursive: true });
  for (const dir of [RELOCATED_ROOT, home]) await chmod(dir, 0o711);
  const outside = join(home, 'postgres');
  // What an interrupted first start may have left inside holds no data (no PG_VERSION).
  await rm(inside, { recursive: true, force: true });
  await symlink(outside, inside);
  return { path: outside, blockedBy };
}

/** The first ancestor of `path` (not `path` itself) that other users cannot traverse. */
async function untraversableAncestor(path: string): Promise<string | undefined> {
  const ancestors: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    ancestors.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of ancestors) {
    const info = await stat(dir);
    if ((info.mode & 0o001) === 0) return dir;
  }
  return undefined;
}

/** Whether something exists at `path`. */
export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
