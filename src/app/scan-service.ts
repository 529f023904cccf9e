import { readFile } from 'node:fs/promises';
import { AppError, type Logger } from '../kernel/index.js';
import type { Platform } from '../oci/manifest/index.js';
import { type TargetSpec, formatRepository, parseTargetSpec } from '../oci/ref/index.js';
import type { RegistrySession } from '../oci/remote/index.js';
import {
  type ImageInventory,
  type InventorySource,
  inventoryImage,
} from '../scan/inventory/inventory-image.js';
import { type ImageScan, scanImage } from '../scan/scan-image.js';
import type { SbomImage } from '../scan/sbom/index.js';
import { type VexDocument, parseOpenVex } from '../scan/vulndb/index.js';
import { PostgresAdvisoryStore } from '../store/index.js';
import { openAirlockDatabase } from './database.js';
import { openSource } from './registry-access.js';

export interface ScanContext {
  session: RegistrySession;
  /** Airlock's data directory (the embedded database with the vulnerability data). */
  dataDir: string;
  env: NodeJS.ProcessEnv;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface ScanOptions extends ScanContext {
  source?: InventorySource;
  platforms?: Platform[];
  /** OpenVEX documents to apply, as file paths. */
  vexFiles?: string[];
}

export interface ScanOutcome {
  scan: ImageScan;
  /** Advisories in the database when the scan ran (0: nothing was imported yet). */
  advisories: number;
  image: SbomImage;
}

/**
 * `airlock scan`: inventories an image (registry or OCI layout) and matches it against the
 * local vulnerability database, offline. An empty database is not an error but is reported,
 * so that "no findings" is never mistaken for "no vulnerabilities".
 */
export async function scanImageAt(location: string, options: ScanOptions): Promise<ScanOutcome> {
  const spec = parseTargetSpec(location);
  const vex = await loadVex(options.vexFiles ?? []);
  const { target, reference } = await openSource(spec, options.session, options.signal);
  const database = await openAirlockDatabase({
    dataDir: options.dataDir,
    env: options.env,
    logger: options.logger,
  });
  try {
    const advisories = new PostgresAdvisoryStore(database.db);
    const status = await advisories.status({ signal: options.signal });
    const scan = await scanImage(target, reference, {
      advisories,
      vex,
      source: options.source,
      platforms: options.platforms,
      signal: options.signal,
    });
    return {
      scan: { ...scan, reference: location },
      advisories: status.advisories,
      image: sbomImageOf(spec),
    };
  } finally {
    await database.close();
  }
}

export interface SbomOptions extends ScanContext {
  source?: InventorySource;
  platforms?: Platform[];
  /** With several platforms and no `platforms`: this one if offered, else the first. */
  preferredPlatform?: Platform;
}

/** `airlock sbom`: the inventory of an image, to be written as CycloneDX or SPDX. */
export async function inventoryImageAt(
  location: string,
  options: SbomOptions,
): Promise<{ inventory: ImageInventory; image: SbomImage }> {
  const spec = parseTargetSpec(location);
  const { target, reference } = await openSource(spec, options.session, options.signal);
  const inventory = await inventoryImage(target, reference, {
    source: options.source,
    platforms: options.platforms,
    preferredPlatform: options.preferredPlatform,
    signal: options.signal,
  });
  return { inventory: { ...inventory, reference: location }, image: sbomImageOf(spec) };
}

function sbomImageOf(spec: TargetSpec): SbomImage {
  if (spec.kind === 'remote') {
    return {
      repository: formatRepository(spec.reference),
      ...(spec.reference.tag ? { tag: spec.reference.tag } : {}),
    };
  }
  return { name: spec.path, ...(spec.tag ? { tag: spec.tag } : {}) };
}

async function loadVex(files: string[]): Promise<VexDocument[]> {
  const documents: VexDocument[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new AppError(
        'USAGE_INVALID',
        `cannot read VEX document ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    documents.push(parseOpenVex(text, file).document);
  }
  return documents;
}
