import { type Kysely, sql } from 'kysely';
import { throwIfAborted } from '../../kernel/index.js';
import type { AirlockSchema } from '../schema.js';
import type {
  ScanResultHeader,
  ScanResultInput,
  ScanResultPlatformInput,
  StoredScanResult,
} from './types.js';

interface Signal {
  signal?: AbortSignal;
}

export interface ListScanResultsOptions extends Signal {
  /** Most results returned, newest first. Default 100. */
  limit?: number;
}

/** A digest's history is short (one scan a day for years is a few thousand rows); a page of 100 is plenty to show. */
const DEFAULT_LIST_LIMIT = 100;

/**
 * Scan results per image digest on Postgres. A result is found by the digest of the image's
 * root manifest or of any platform manifest it covers; "latest" is by scan time (an imported
 * report of last week does not hide yesterday's scan), then by storage time.
 */
export class PostgresScanResultStore {
  constructor(private readonly db: Kysely<AirlockSchema>) {}

  /** Stores a result and its platforms in one transaction. */
  async save(result: ScanResultInput, options: Signal = {}): Promise<{ id: string; storedAt: Date }> {
    throwIfAborted(options.signal);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('scan_result')
        .values({
          image_digest: result.imageDigest,
          media_type: result.mediaType,
          reference: result.reference,
          origin: result.origin,
          scanner: JSON.stringify(result.scanner),
          started_at: result.startedAt,
          scanned_at: result.scannedAt,
          summary: JSON.stringify(result.summary),
        })
        .returning(['id', 'stored_at'])
        .executeTakeFirstOrThrow();
      if (result.platforms.length > 0) {
        await trx
          .insertInto('scan_result_platform')
          .values(result.platforms.map((p, ordinal) => platformRow(row.id, ordinal, p)))
          .execute();
      }
      return { id: row.id, storedAt: row.stored_at };
    });
  }

  /** The newest result for the digest of an image or of one of its platform manifests. */
  async latest(digest: string, options: Signal = {}): Promise<StoredScanResult | undefined> {
    const [header] = await this.list(digest, { ...options, limit: 1 });
    if (!header) return undefined;
    throwIfAborted(options.signal);
    const rows = await this.db
      .selectFrom('scan_result_platform')
      .selectAll()
      .where('result_id', '=', header.id)
      .orderBy('ordinal')
      .execute();
    const { platforms: _omitted, ...rest } = header;
    return {
      ...rest,
      platforms: rows.map((r) => ({
        manifestDigest: r.manifest_digest,
        platform: r.platform as ScanResultPlatformInput['platform'],
        os: r.os as ScanResultPlatformInput['os'],
        packageCount: r.package_count,
        inventorySource: r.inventory_source,
        summary: r.summary,
        findings: r.findings,
        notices: r.notices,
      })),
    };
  }

  /** Results for the digest, newest first, without their findings. */
  async list(digest: string, options: ListScanResultsOptions = {}): Promise<ScanResultHeader[]> {
    throwIfAborted(options.signal);
    const limit = options.limit ?? DEFAULT_LIST_LIMIT;
    const result = await sql<ScanResultHeader>`
      SELECT r.id, r.image_digest AS "imageDigest", r.media_type AS "mediaType", r.reference, r.origin, r.scanner,
        r.started_at AS "startedAt", r.scanned_at AS "scannedAt", r.stored_at AS "storedAt", r.summary,
        coalesce((
          SELECT json_agg(json_build_object('manifestDigest', p.manifest_digest, 'platform', p.platform) ORDER BY p.ordinal)
          FROM scan_result_platform p WHERE p.result_id = r.id
        ), '[]'::json) AS platforms
      FROM scan_result r
      WHERE r.image_digest = ${digest}
        OR r.id IN (SELECT result_id FROM scan_result_platform WHERE manifest_digest = ${digest})
      ORDER BY r.scanned_at DESC, r.stored_at DESC
      LIMIT ${limit}`.execute(this.db);
    return result.rows;
  }
}

function platformRow(resultId: string, ordinal: number, p: ScanResultPlatformInput) {
  return {
    result_id: resultId,
    ordinal,
    manifest_digest: p.manifestDigest,
    platform: p.platform === null ? null : JSON.stringify(p.platform),
    os: p.os === null ? null : JSON.stringify(p.os),
    package_count: p.packageCount,
    inventory_source: p.inventorySource,
    summary: JSON.stringify(p.summary),
    findings: JSON.stringify(p.findings),
    notices: JSON.stringify(p.notices),
  };
}
