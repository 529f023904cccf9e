import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type AppError, type Logger, isAppError } from '../kernel/index.js';
import {
  DETECTED_ECOSYSTEMS,
  type ImportProblem,
  type ImportReport,
  type SourceReport,
  findOsvSources,
  importOsvSource,
  importOsvSources,
} from '../scan/vulndb/index.js';
import { PostgresAdvisoryStore, type VulnDbStatus } from '../store/index.js';
import { openAirlockDatabase } from './database.js';
import { type DownloadOptions, downloadFile } from './vulndb-download.js';

export type { VulnDbStatus, VulnSourceStatus } from '../store/index.js';
export type { ImportProblem, ImportReport, SourceReport } from '../scan/vulndb/index.js';

/** Where OSV publishes one ZIP archive of all records per ecosystem: `<base>/<ecosystem>/all.zip`. */
export { DEFAULT_OSV_BASE_URL, DEFAULT_UPDATE_ECOSYSTEMS } from './vulndb-defaults.js';
import { DEFAULT_OSV_BASE_URL } from './vulndb-defaults.js';

export interface VulnDbContext {
  /** Airlock's data directory (embedded database, downloaded archives). */
  dataDir: string;
  /** `DATABASE_URL` selects an external Postgres; `AIRLOCK_OSV_BASE_URL` a mirror of OSV's archives. */
  env: NodeJS.ProcessEnv;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface ImportVulnerabilityDataOptions extends VulnDbContext {
  onProblem?: (problem: ImportProblem) => void;
  onSource?: (report: SourceReport) => void;
}

/** `airlock db import PATH`: loads OSV records from an archive, a JSON file or a directory tree. */
export async function importVulnerabilityData(
  path: string,
  options: ImportVulnerabilityDataOptions,
): Promise<ImportReport> {
  // The path is checked before the database is started: a typo should not wait for Postgres.
  const sources = await findOsvSources(path, { signal: options.signal });
  return withAdvisoryStore(options, (store) =>
    importOsvSources(sources, {
      writer: store,
      signal: options.signal,
      onProblem: options.onProblem,
      onSource: options.onSource,
    }),
  );
}

export interface UpdateVulnerabilityDataOptions extends ImportVulnerabilityDataOptions {
  /** OSV ecosystem names (`Debian`, `PyPI`, `Rocky Linux`); default {@link DETECTED_ECOSYSTEMS}. */
  ecosystems?: string[];
  /** Default `$AIRLOCK_OSV_BASE_URL`, else {@link DEFAULT_OSV_BASE_URL}. */
  baseUrl?: string;
  download?: Pick<DownloadOptions, 'dispatcher' | 'maxBytes'>;
  onEcosystem?: (result: EcosystemUpdate) => void;
}

export type EcosystemUpdate =
  | { ecosystem: string; url: string; outcome: 'imported'; bytes: number; report: SourceReport }
  | { ecosystem: string; url: string; outcome: 'not-modified' }
  | { ecosystem: string; url: string; outcome: 'failed'; error: AppError };

export interface UpdateReport {
  ecosystems: EcosystemUpdate[];
}

/**
 * `airlock db update`: downloads OSV's archive of each ecosystem (conditionally: an archive
 * unchanged since the last import is not downloaded again) and imports it. An ecosystem whose
 * download fails is reported and the others continue; no network at all fails at once with
 * an error saying so.
 */
export async function updateVulnerabilityData(
  options: UpdateVulnerabilityDataOptions,
): Promise<UpdateReport> {
  const base = (options.baseUrl ?? options.env.AIRLOCK_OSV_BASE_URL ?? DEFAULT_OSV_BASE_URL).replace(
    /\/+$/,
    '',
  );
  const ecosystems =
    options.ecosystems && options.ecosystems.length > 0 ? options.ecosystems : DETECTED_ECOSYSTEMS;
  return withAdvisoryStore(options, async (store) => {
    const results: EcosystemUpdate[] = [];
    for (const ecosystem of ecosystems) {
      const url = `${base}/${encodeURIComponent(ecosystem)}/all.zip`;
      let result: EcosystemUpdate;
      try {
        result = await updateEcosystem(store, ecosystem, url, options);
      } catch (error) {
        // One archive failing leaves the others to try; no network at all fails them alike, so stop at the first.
        if (
          !isAppError(error) ||
          error.code !== 'SCAN_VULNDB_DOWNLOAD_FAILED' ||
          error.details.offline === true
        )
          throw error;
        result = { ecosystem, url, outcome: 'failed', error };
      }
      results.push(result);
      options.onEcosystem?.(result);
    }
    return { ecosystems: results };
  });
}

async function updateEcosystem(
  store: PostgresAdvisoryStore,
  ecosystem: string,
  url: string,
  options: UpdateVulnerabilityDataOptions,
): Promise<EcosystemUpdate> {
  const validators = await store.sourceValidators(url, { signal: options.signal });
  const archive = join(options.dataDir, 'vulndb', `${ecosystem.replace(/[^A-Za-z0-9.-]+/g, '_')}.zip`);
  const downloaded = await downloadFile(url, archive, {
    ...validators,
    ...options.download,
    signal: options.signal,
  });
  if (downloaded.status === 'not-modified') return { ecosystem, url, outcome: 'not-modified' };
  try {
    const report = await importOsvSource(
      { name: url, kind: 'archive', path: archive },
      {
        writer: store,
        signal: options.signal,
        onProblem: options.onProblem,
        onSource: options.onSource,
        as: { name: url, kind: 'download', etag: downloaded.etag, lastModified: downloaded.lastModified },
      },
    );
    return { ecosystem, url, outcome: 'imported', bytes: downloaded.bytes, report };
  } finally {
    // Imported (or failed): the database holds what matters, and the validators avoid re-downloading.
    await rm(archive, { force: true });
  }
}

/** `airlock db status`. */
export async function readVulnerabilityDbStatus(
  options: VulnDbContext,
): Promise<VulnDbStatus & { database: string }> {
  const database = await openAirlockDatabase(options);
  try {
    return {
      ...(await new PostgresAdvisoryStore(database.db).status({ signal: options.signal })),
      database: database.location,
    };
  } finally {
    await database.close();
  }
}

async function withAdvisoryStore<T>(
  options: VulnDbContext,
  run: (store: PostgresAdvisoryStore) => Promise<T>,
): Promise<T> {
  const database = await openAirlockDatabase(options);
  try {
    return await run(new PostgresAdvisoryStore(database.db));
  } finally {
    await database.close();
  }
}
