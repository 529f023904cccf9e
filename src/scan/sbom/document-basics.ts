import { randomUUID } from 'node:crypto';
import { AppError } from '../../kernel/index.js';
import { formatPlatform } from '../../oci/manifest/index.js';
import type { Inventory, Package } from '../inventory/types.js';
import { imagePurl } from './package-purl.js';
import type { WriteSbomOptions } from './types.js';

/** What both writers derive from an inventory before shaping it into their format. */
export interface DocumentBasics {
  created: Date;
  uuid: string;
  toolVersion: string;
  /** The image as people name it: the repository, a layout name, or the digest. */
  imageName: string;
  imageDigest: string;
  imagePurl: string;
  platform?: string;
  /** Packages in a stable order, so that equal inventories give equal documents. */
  packages: Package[];
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function documentBasics(inventory: Inventory, options: WriteSbomOptions): DocumentBasics {
  const uuid = options.uuid ?? randomUUID();
  if (!UUID_PATTERN.test(uuid)) {
    throw new AppError('USAGE_INVALID', `SBOM uuid "${uuid}" is not a lower-case RFC 4122 UUID`);
  }
  const created = options.created ?? new Date();
  if (Number.isNaN(created.getTime()))
    throw new AppError('USAGE_INVALID', 'SBOM creation time is an invalid date');
  const image = options.image ?? {};
  const basics: DocumentBasics = {
    created,
    uuid,
    toolVersion: options.toolVersion,
    imageName: image.repository ?? image.name ?? inventory.manifestDigest,
    imageDigest: inventory.manifestDigest,
    imagePurl: imagePurl({
      repository: image.repository,
      name: image.name,
      tag: image.tag,
      digest: inventory.manifestDigest,
      architecture: inventory.platform?.architecture,
    }),
    packages: sortPackages(inventory.packages),
  };
  if (inventory.platform) basics.platform = formatPlatform(inventory.platform);
  return basics;
}

export function sortPackages(packages: readonly Package[]): Package[] {
  return [...packages].sort((a, b) => compareKeys(packageKey(a), packageKey(b)));
}

function packageKey(pkg: Package): string[] {
  return [pkg.type, pkg.name, pkg.version, pkg.purl, pkg.locations.join('\n'), pkg.foundIn ?? ''];
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** ISO 8601 UTC to the second, the form SPDX 2.3 §6.9 requires and CycloneDX accepts. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Makes identifiers unique by suffixing repeats with -2, -3, … in order of appearance. */
export function uniqueIds(): (id: string) => string {
  const used = new Set<string>();
  return (id) => {
    let candidate = id;
    for (let n = 2; used.has(candidate); n += 1) candidate = `${id}-${n}`;
    used.add(candidate);
    return candidate;
  };
}
