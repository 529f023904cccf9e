import { readInputFile } from './read-input.js';
import type { Kysely } from 'kysely';
import { AppError, type Logger } from '../kernel/index.js';
import type { Target } from '../oci/content/index.js';
import type { Descriptor, Platform } from '../oci/manifest/index.js';
import { type TargetSpec, formatRepository, parseTargetSpec } from '../oci/ref/index.js';
import type { RegistrySession } from '../oci/remote/index.js';
import {
  type ImageInventory,
  type InventorySource,
  inventoryImage,
} from '../scan/inventory/inventory-image.js';
import { type ScanRecord, recordOfScan } from '../scan/report/index.js';
import { type ImageScan, scanImage } from '../scan/scan-image.js';
import type { SbomImage } from '../scan/sbom/index.js';
import { type VexDocument, parseOpenVex } from '../scan/vulndb/index.js';
import { type AirlockSchema, PostgresAdvisoryStore, type VulnDbStatus } from '../store/index.js';
import { openAirlockDatabase } from './database.js';
import { openImage, openSource } from './registry-access.js';
import { type ScanEvidence, attachScanRecord, saveScanRecord, subjectNameOf } from './scan-evidence.js';

export interface ScanContext {
  session: RegistrySession;
  /** Airlock's data directory (the embedded database with the vulnerability data). */
  dataDir: string;
  env: NodeJS.ProcessEnv;
  logger?: Logger;
  signal?: AbortSignal;
}

/** What to do with a scan result besides returning it. */
export interface PublishOptions {
  /** Store the result in the database under the image's digest. */
  save?: boolean;
  /** Push the result next to the image as an in-toto attestation referrer. */
  attach?: boolean;
  /** Called as soon as the result is stored: attaching, which comes next, may still fail. */
  onSaved?: (saved: NonNullable<ScanEvidence['saved']>, record: ScanRecord) => void;
  onAttached?: (attestation: Descriptor, record: ScanRecord) => void;
}

export interface ScanOptions extends ScanContext, PublishOptions {
  source?: InventorySource;
  platforms?: Platform[];
  /** OpenVEX documents to apply, as file paths. */
  vexFiles?: string[];
  /** Apply OpenVEX documents attached to the image as referrers. Default true. */
  attachedVex?: boolean;
  /** Airlock's version, recorded as the scanner's. */
  toolVersion: string;
}

export interface ScanOutcome {
  scan: ImageScan;
  /** The result as it is stored and attached. */
  record: ScanRecord;
  /** Advisories in the database when the scan ran (0: nothing was imported yet). */
  advisories: number;
  image: SbomImage;
  evidence: ScanEvidence;
}

/** The vulnerability data Airlock matches against: OSV records, as of the newest one imported. */
const OSV_DATABASE_URI = 'https://osv.dev';

/**
 * `airlock scan`: inventories an image (registry or OCI layout) and matches it against the
 * local vulnerability database, offline. An empty database is not an error but is reported,
 * so that "no findings" is never mistaken for "no vulnerabilities". The result can be stored
 * under the image's digest and attached to the image.
 */
export async function scanImageAt(location: string, options: ScanOptions): Promise<ScanOutcome> {
  const spec = parseTargetSpec(location);
  const vex = await loadVex(options.vexFiles ?? []);
  const { target, reference } = await openImage(spec, options.session, options.signal);
  const database = await openAirlockDatabase({
    dataDir: options.dataDir,
    env: options.env,
    logger: options.logger,
  });
  try {
    const advisories = new PostgresAdvisoryStore(database.db);
    const status = await advisories.status({ signal: options.signal });
    if (status.advisories === 0 && (options.save || options.attach)) {
      throw new AppError(
        'USAGE_INVALID',
        `the vulnerability database (${database.location}) is empty: a result ${options.save ? 'saved' : 'attached'} now would claim the image has no vulnerabilities; load it with \`airlock db import PATH\` or \`airlock db update\` first`,
      );
    }
    const startedAt = new Date().toISOString();
    const scanned = await scanImage(target, reference, {
      advisories,
      vex,
      attachedVex: options.attachedVex,
      source: options.source,
      platforms: options.platforms,
      signal: options.signal,
    });
    const scan = { ...scanned, reference: location };
    const record = recordOfScan(scan, {
      toolVersion: options.toolVersion,
      startedAt,
      database: databaseOf(status),
    });
    const evidence = await publishScanRecord(record, {
      ...options,
      db: database.db,
      target,
      spec,
    });
    return { scan, record, advisories: status.advisories, image: sbomImageOf(spec), evidence };
  } finally {
    await database.close();
  }
}

export interface PublishScanRecordOptions extends PublishOptions {
  /** The database to save into; needed with `save`. */
  db?: Kysely<AirlockSchema>;
  /** The image's content store; needed with `attach`. */
  target: Target;
  spec: TargetSpec;
  signal?: AbortSignal;
}

/** Saves, then attaches: a result that could not be attached is still on record. */
export async function publishScanRecord(
  record: ScanRecord,
  options: PublishScanRecordOptions,
): Promise<ScanEvidence> {
  const evidence: ScanEvidence = {};
  if (options.save) {
    if (!options.db) throw new AppError('INTERNAL', 'saving a scan result needs the database');
    evidence.saved = await saveScanRecord(options.db, record, options.signal);
    options.onSaved?.(evidence.saved, record);
  }
  if (options.attach) {
    evidence.attached = await attachScanRecord(options.target, record, {
      subjectName: subjectNameOf(options.spec),
      signal: options.signal,
    });
    options.onAttached?.(evidence.attached, record);
  }
  return evidence;
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

function databaseOf(status: VulnDbStatus): ScanRecord['scanner']['database'] {
  const asOf = status.newestModified ?? status.lastImportAt;
  return { uri: OSV_DATABASE_URI, ...(asOf ? { version: asOf.toISOString() } : {}) };
}

/** Reads OpenVEX documents given as files (`--vex`). */
export async function loadVex(files: string[]): Promise<VexDocument[]> {
  const documents: VexDocument[] = [];
  for (const file of files) {
    documents.push(parseOpenVex(await readInputFile(file, 'VEX document'), file).document);
  }
  return documents;
}
