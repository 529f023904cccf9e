import { type Clock, systemClock, throwIfAborted } from '../../kernel/index.js';
import type { AdvisoryRecord, AdvisoryWriter, ImportCounts } from './advisory-store.js';
import type { OsvRecord } from './osv.js';
import { toAdvisoryRecord } from './osv-normalize.js';
import { type OsvSource, findOsvSources, readOsvSource } from './osv-source.js';
import { validateOsvRecord } from './osv-validate.js';

/**
 * Imports OSV records into the vulnerability database: validates each record (a malformed one
 * is skipped with a message naming its file or archive entry and the problem), and writes
 * them in batches, each in one transaction, while the next batch is being read. Incremental:
 * the database keeps a stored advisory unless the incoming one is newer (see
 * {@link AdvisoryWriter.writeAdvisories}).
 */

export interface ImportProblem {
  source: string;
  /** The file, or `archive.zip:member.json`, and for arrays of records the index. */
  entry: string;
  problem: string;
}

export interface SourceReport {
  source: string;
  kind: 'archive' | 'directory' | 'download';
  counts: ImportCounts;
  /** The first {@link MAX_PROBLEMS_KEPT} problems; `counts.malformed` has the total. */
  problems: ImportProblem[];
  durationMs: number;
}

export interface ImportReport {
  sources: SourceReport[];
  totals: ImportCounts;
  durationMs: number;
}

export interface ImportOsvOptions {
  writer: AdvisoryWriter;
  signal?: AbortSignal;
  clock?: Clock;
  /** Records per transaction. Default {@link DEFAULT_BATCH_SIZE}. */
  batchSize?: number;
  /** Called for every malformed record, as it is met (the report keeps only the first few). */
  onProblem?: (problem: ImportProblem) => void;
  /** Called after each source. */
  onSource?: (report: SourceReport) => void;
}

/** A thousand records (~1–2 MiB of JSON) per transaction: large enough to amortise round trips, small enough to stay responsive. */
export const DEFAULT_BATCH_SIZE = 1000;
/** Above this much JSON a batch is written early, whatever its record count. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
export const MAX_PROBLEMS_KEPT = 100;

/** Imports every source under a path (an archive, a JSON file, or a directory tree of both). */
export async function importOsvPath(path: string, options: ImportOsvOptions): Promise<ImportReport> {
  return importOsvSources(await findOsvSources(path, { signal: options.signal }), options);
}

/** Imports sources found beforehand (so that a wrong path fails before any database work starts). */
export async function importOsvSources(
  sources: readonly OsvSource[],
  options: ImportOsvOptions,
): Promise<ImportReport> {
  const started = performance.now();
  const reports: SourceReport[] = [];
  for (const source of sources) reports.push(await importOsvSource(source, options));
  return {
    sources: reports,
    totals: sumCounts(reports.map((r) => r.counts)),
    durationMs: performance.now() - started,
  };
}

/** How a source is known when not by its path: a downloaded archive by its URL, with its HTTP validators. */
export interface SourceIdentity {
  name: string;
  kind: 'download';
  etag?: string;
  lastModified?: string;
}

/** Imports one source; `as` names it differently from its path (a downloaded archive is known by its URL). */
export async function importOsvSource(
  source: OsvSource,
  options: ImportOsvOptions & { as?: SourceIdentity },
): Promise<SourceReport> {
  const started = performance.now();
  const name = options.as?.name ?? source.name;
  const run = new SourceRun(name, options);
  for await (const item of readOsvSource(source, { signal: options.signal })) {
    if (!item.ok) {
      run.malformed(item.entry, item.problem);
      continue;
    }
    for (const parsed of parseRecords(item.entry, item.text)) {
      if (parsed.ok) await run.add(parsed.record, parsed.json);
      else run.malformed(parsed.entry, parsed.problem);
    }
  }
  const counts = await run.finish();
  const kind = options.as?.kind ?? source.kind;
  const importedAt = new Date((options.clock ?? systemClock).now());
  const { etag, lastModified } = options.as ?? {};
  await options.writer.recordImport(
    { source: name, kind, counts, importedAt, etag, lastModified },
    { signal: options.signal },
  );
  const report: SourceReport = {
    source: name,
    kind,
    counts,
    problems: run.problems,
    durationMs: performance.now() - started,
  };
  options.onSource?.(report);
  return report;
}

/** The counts, problems and pending batch of one source's import. */
class SourceRun {
  readonly counts: ImportCounts = {
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    malformed: 0,
    withdrawn: 0,
  };
  readonly problems: ImportProblem[] = [];
  private readonly writes: BatchWriter;
  private readonly batch = new Map<string, AdvisoryRecord>();
  private batchBytes = 0;

  constructor(
    private readonly name: string,
    private readonly options: ImportOsvOptions,
  ) {
    this.writes = new BatchWriter(options.writer, name, this.counts, options.signal);
  }

  malformed(entry: string, problem: string): void {
    this.counts.read++;
    this.counts.malformed++;
    const item = { source: this.name, entry, problem };
    if (this.problems.length < MAX_PROBLEMS_KEPT) this.problems.push(item);
    this.options.onProblem?.(item);
  }

  async add(record: OsvRecord, json: string): Promise<void> {
    this.counts.read++;
    if (record.withdrawn) this.counts.withdrawn++;
    // A repeated id is written against the stored copy of the first, not merged into one statement.
    if (this.batch.has(record.id)) await this.flush();
    this.batch.set(record.id, toAdvisoryRecord(record, json));
    this.batchBytes += json.length;
    if (
      this.batch.size >= (this.options.batchSize ?? DEFAULT_BATCH_SIZE) ||
      this.batchBytes >= MAX_BATCH_BYTES
    )
      await this.flush();
  }

  async finish(): Promise<ImportCounts> {
    await this.flush();
    await this.writes.drain();
    this.counts.unchanged =
      this.counts.read - this.counts.malformed - this.counts.inserted - this.counts.updated;
    return this.counts;
  }

  private async flush(): Promise<void> {
    if (this.batch.size === 0) return;
    await this.writes.write([...this.batch.values()]);
    this.batch.clear();
    this.batchBytes = 0;
  }
}

type ParsedRecord =
  { ok: true; record: OsvRecord; json: string } | { ok: false; entry: string; problem: string };

/** A file holds one record, or (as some feeds publish) an array of records. */
function parseRecords(entry: string, text: string): ParsedRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return [{ ok: false, entry, problem: `not valid JSON: ${(error as Error).message}` }];
  }
  const items = Array.isArray(value)
    ? value.map((v, i) => ({ entry: `${entry}[${i}]`, value: v as unknown }))
    : [{ entry, value }];
  return items.map(({ entry: name, value: item }) => {
    const checked = validateOsvRecord(item);
    if (!checked.ok) return { ok: false, entry: name, problem: checked.problem };
    return { ok: true, record: checked.record, json: Array.isArray(value) ? JSON.stringify(item) : text };
  });
}

/** Keeps at most one batch being written while the next is read; a failed write fails the import at the next step. */
class BatchWriter {
  private pending: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly writer: AdvisoryWriter,
    private readonly source: string,
    private readonly counts: ImportCounts,
    private readonly signal?: AbortSignal,
  ) {}

  async write(batch: AdvisoryRecord[]): Promise<void> {
    await this.drain();
    throwIfAborted(this.signal);
    this.pending = this.writer.writeAdvisories(this.source, batch, { signal: this.signal }).then(
      (outcome) => {
        this.counts.inserted += outcome.inserted;
        this.counts.updated += outcome.updated;
      },
      (error: unknown) => {
        this.failure = error;
      },
    );
  }

  async drain(): Promise<void> {
    await this.pending;
    if (this.failure !== undefined) throw this.failure;
  }
}

export function sumCounts(all: ImportCounts[]): ImportCounts {
  const total: ImportCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, malformed: 0, withdrawn: 0 };
  for (const counts of all)
    for (const key of Object.keys(total) as (keyof ImportCounts)[]) total[key] += counts[key];
  return total;
}
