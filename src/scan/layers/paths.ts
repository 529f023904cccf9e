/**
 * Path handling for tar entry names. Names in layers are relative to the root (`./usr/lib`,
 * `usr/lib/`, sometimes `/usr/lib`); image-spec v1.1 layer.md describes a filesystem, so every
 * name is read as an absolute path and resolved lexically. A name whose `..` climbs above the
 * root would write outside the container's filesystem when extracted naively (CVE-2019-14271
 * and friends); such entries are not part of the image and are dropped by the reader.
 */

/**
 * The components of an entry name as an absolute path (`./usr//lib/` → `['usr', 'lib']`), with
 * `.` and `..` resolved lexically; undefined when `..` would climb above the root.
 */
export function entryComponents(name: string): string[] | undefined {
  const parts = name.split('/');
  // Directory names end with `/`.
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  let clean = true;
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..') {
      clean = false;
      break;
    }
  }
  // The common case (`usr/lib/x`): nothing to resolve, no second array.
  if (clean) return parts;
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out;
}

/** `['usr', 'lib']` → `/usr/lib`; no components → `/`. */
export function joinPath(components: readonly string[]): string {
  return `/${components.join('/')}`;
}

/** A child path of a directory path (`/` + `etc` → `/etc`). */
export function childPath(directory: string, name: string): string {
  return directory === '/' ? `/${name}` : `${directory}/${name}`;
}
