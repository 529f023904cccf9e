import type { Command } from 'commander';
import { resolveDataDir } from '../../app/data-dir.js';
import { DEFAULT_OSV_BASE_URL, DEFAULT_UPDATE_ECOSYSTEMS } from '../../app/vulndb-defaults.js';
import type {
  EcosystemUpdate,
  ImportProblem,
  ImportReport,
  SourceReport,
  VulnDbStatus,
} from '../../app/vulndb-service.js';

/** The database and the importers, loaded when a db command runs. */
const service = () => import('../../app/vulndb-service.js');
import { ExitCode, setExitCode } from '../exit-codes.js';
import { type CliIo, print } from '../io.js';
import { collect, cliLogger, writeJson } from '../options.js';
import { formatDuration, plural } from '../render/format.js';
import { formatTable } from '../render/table.js';

interface DbFlags {
  data?: string;
  json?: boolean;
  verbose?: number;
}

interface UpdateFlags extends DbFlags {
  ecosystem?: string[];
  baseUrl?: string;
}

/** Malformed-record messages beyond this many are counted, not printed: a broken archive must not flood the terminal. */
const MAX_PROBLEMS_PRINTED = 50;

/** `airlock db`: the local vulnerability database (OSV records in Postgres). */
export function registerDbCommand(program: Command, io: CliIo): void {
  const db = program
    .command('db')
    .description('The local vulnerability database: OSV records, matched offline during scans');
  registerImport(db, io);
  registerUpdate(db, io);
  registerStatus(db, io);
}

/** Flags every `db` subcommand shares. */
function addDbFlags(command: Command, json: string): Command {
  return command
    .option(
      '--data <dir>',
      'Airlock data directory (default $AIRLOCK_DATA_DIR, else ./.airlock); DATABASE_URL selects another Postgres',
    )
    .option('--json', json)
    .option(
      '-v, --verbose',
      'log more (repeat for debug logs)',
      (_v: string, previous: number) => previous + 1,
      0,
    );
}

function registerImport(db: Command, io: CliIo): void {
  const command = db
    .command('import')
    .description(
      "Import OSV records from a ZIP archive (OSV's per-ecosystem all.zip), a JSON file, or a directory tree of both. " +
        'Incremental: records not newer than the stored ones are left alone. Malformed records are skipped with a message ' +
        'on stderr (and the exit code stays 0).',
    )
    .argument('<path>', 'archive, JSON file or directory');
  addDbFlags(command, 'print the import report as JSON').action(async (path: string, flags: DbFlags) => {
    const problems = problemPrinter(io);
    const { importVulnerabilityData } = await service();
    const report = await importVulnerabilityData(path, {
      ...context(flags, io),
      onProblem: problems.print,
      onSource: flags.json
        ? undefined
        : (source) => print(io.stderr, `imported ${source.source}: ${summarise(source)}`),
    });
    problems.finish();
    if (flags.json) writeJson(io, report);
    else renderImport(report, io);
  });
}

function registerUpdate(db: Command, io: CliIo): void {
  const command = db
    .command('update')
    .description(
      `Download OSV's archive of each ecosystem (${DEFAULT_OSV_BASE_URL}/<ecosystem>/all.zip) and import it; ` +
        'archives unchanged since the last update are not downloaded again. Exit code 5 when some ecosystems failed.',
    )
    .option(
      '--ecosystem <name>',
      `OSV ecosystem, repeatable (default: ${DEFAULT_UPDATE_ECOSYSTEMS.join(', ')})`,
      collect,
    )
    .option(
      '--base-url <url>',
      "a mirror of the OSV archives (default $AIRLOCK_OSV_BASE_URL, else OSV's bucket)",
    );
  addDbFlags(command, 'print the update report as JSON').action(async (flags: UpdateFlags, self: Command) => {
    const problems = problemPrinter(io);
    const { updateVulnerabilityData } = await service();
    const report = await updateVulnerabilityData({
      ...context(flags, io),
      ecosystems: flags.ecosystem,
      baseUrl: flags.baseUrl,
      onProblem: problems.print,
      onEcosystem: flags.json ? undefined : (result) => print(io.stderr, describeUpdate(result)),
    });
    problems.finish();
    if (flags.json) {
      writeJson(io, {
        ecosystems: report.ecosystems.map((e) =>
          e.outcome === 'failed' ? { ...e, error: e.error.toJSON() } : e,
        ),
      });
    }
    const failed = report.ecosystems.filter((e) => e.outcome === 'failed').length;
    if (failed > 0)
      setExitCode(self, failed === report.ecosystems.length ? ExitCode.Failure : ExitCode.Partial);
  });
}

function registerStatus(db: Command, io: CliIo): void {
  const command = db
    .command('status')
    .description(
      'Show the sources imported, advisories per source and ecosystem, newest record and last import time',
    );
  addDbFlags(command, 'print the status as JSON').action(async (flags: DbFlags) => {
    const { readVulnerabilityDbStatus } = await service();
    const status = await readVulnerabilityDbStatus(context(flags, io));
    if (flags.json) writeJson(io, status);
    else renderStatus(status, io);
  });
}

function context(flags: DbFlags, io: CliIo) {
  return {
    dataDir: resolveDataDir(flags.data, io.env),
    env: io.env,
    logger: cliLogger(io, flags),
    signal: io.signal,
  };
}

/** Prints skipped records to stderr as they are met, up to a limit, then how many more there were. */
function problemPrinter(io: CliIo) {
  let count = 0;
  return {
    print: (problem: ImportProblem) => {
      count++;
      if (count <= MAX_PROBLEMS_PRINTED)
        print(io.stderr, `warning: skipped ${problem.entry}: ${problem.problem}`);
    },
    finish: () => {
      if (count > MAX_PROBLEMS_PRINTED)
        print(
          io.stderr,
          `warning: ${count - MAX_PROBLEMS_PRINTED} more malformed records were skipped (see --json for the first ones of each source)`,
        );
    },
  };
}

function summarise(source: SourceReport): string {
  const c = source.counts;
  return (
    `${plural(c.read, 'record')}: ${c.inserted} new, ${c.updated} updated, ${c.unchanged} unchanged, ${c.malformed} malformed, ` +
    `${c.withdrawn} withdrawn in ${formatDuration(source.durationMs)} (${rate(c.read, source.durationMs)})`
  );
}

function renderImport(report: ImportReport, io: CliIo): void {
  const row = (name: string, c: SourceReport['counts'], ms: number) => [
    name,
    String(c.read),
    String(c.inserted),
    String(c.updated),
    String(c.unchanged),
    String(c.malformed),
    String(c.withdrawn),
    formatDuration(ms),
    rate(c.read, ms),
  ];
  const rows = report.sources.map((s) => row(s.source, s.counts, s.durationMs));
  if (report.sources.length > 1) rows.push(row('total', report.totals, report.durationMs));
  print(
    io.stdout,
    formatTable(
      ['SOURCE', 'READ', 'NEW', 'UPDATED', 'UNCHANGED', 'MALFORMED', 'WITHDRAWN', 'TIME', 'RATE'],
      rows,
    ),
  );
}

function describeUpdate(result: EcosystemUpdate): string {
  switch (result.outcome) {
    case 'imported':
      return `${result.ecosystem}: downloaded ${(result.bytes / 1024 / 1024).toFixed(1)} MiB, ${summarise(result.report)}`;
    case 'not-modified':
      return `${result.ecosystem}: unchanged since the last update`;
    case 'failed':
      return `${result.ecosystem}: failed: ${result.error.message}`;
  }
}

function renderStatus(status: VulnDbStatus & { database: string }, io: CliIo): void {
  print(io.stdout, `Database: ${status.database}`);
  if (status.sources.length === 0) {
    print(
      io.stdout,
      'No vulnerability data yet: run "airlock db update", or "airlock db import PATH" offline.',
    );
    return;
  }
  print(
    io.stdout,
    `Advisories: ${status.advisories} (newest modified ${time(status.newestModified)}, last import ${time(status.lastImportAt)})\n`,
  );
  print(
    io.stdout,
    formatTable(
      ['SOURCE', 'KIND', 'ADVISORIES', 'WITHDRAWN', 'NEWEST MODIFIED', 'LAST IMPORT'],
      status.sources.map((s) => [
        s.name,
        s.kind,
        String(s.advisories),
        String(s.withdrawn),
        time(s.newestModified),
        time(s.lastImportAt),
      ]),
    ),
  );
  print(io.stdout, '');
  print(
    io.stdout,
    formatTable(
      ['ECOSYSTEM', 'ADVISORIES', 'PACKAGE ENTRIES'],
      status.ecosystems.map((e) => [e.ecosystem, String(e.advisories), String(e.entries)]),
    ),
  );
}

function time(date: Date | null): string {
  return date ? `${date.toISOString().slice(0, 19)}Z` : '-';
}

function rate(records: number, ms: number): string {
  return ms > 0 ? `${Math.round((records * 1000) / ms)} records/s` : '-';
}
