import type { Command } from 'commander';
import { resolveDataDir } from '../../app/data-dir.js';
import type { ScanResultHeader, ScanResults } from '../../app/scan-results-service.js';
import { ExitCode, setExitCode } from '../exit-codes.js';
import { type CliIo, print } from '../io.js';
import { openRegistrySession } from '../registry-session.js';
import { type RegistryFlags, addRegistryFlags, cliLogger, positiveInt, writeJson } from '../options.js';
import { shortDigest } from '../render/format.js';
import { formatTable } from '../render/table.js';
import { FAIL_ON_HELP, applyFailOn, parseFailOn } from './scan-output.js';

interface ResultsFlags extends RegistryFlags {
  all?: boolean;
  limit?: number;
  failOn?: string;
  data?: string;
}

const SHOWN_RATINGS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;

/** `airlock scan results`: the stored scan results of an image. */
export function registerScanResultsCommand(scan: Command, io: CliIo): void {
  const command = scan
    .command('results')
    .summary('show the stored scan result of an image')
    .description(
      'Show the latest scan result stored for an image (by `airlock scan --save` or `airlock scan import --save`), as `airlock scan` prints it. ' +
        'Give a reference (resolved to its digest where it lives) or a digest (looked up offline); the digest of a platform manifest shows that platform. ' +
        `Exits with code ${ExitCode.NotFound} when nothing is stored.`,
    )
    .argument('<image>', 'image reference, OCI layout location, or digest (sha256:…)')
    .option('--all', 'list every stored result of the digest, newest first, instead of showing the latest')
    .option('--limit <n>', 'with --all: at most this many (default 100)', positiveInt('--limit'))
    .option('--fail-on <severity>', FAIL_ON_HELP)
    .option(
      '--data <dir>',
      'Airlock data directory holding the database (default $AIRLOCK_DATA_DIR, else ./.airlock)',
    );
  addRegistryFlags(command).action(async (image: string, flags: ResultsFlags, cmd: Command) => {
    const failOn = parseFailOn(flags.failOn);
    const logger = cliLogger(io, flags);
    const session = await openRegistrySession(io, flags, logger);
    let results: ScanResults;
    try {
      const { readScanResults } = await import('../../app/scan-results-service.js');
      results = await readScanResults(image, {
        session,
        dataDir: resolveDataDir(flags.data, io.env),
        env: io.env,
        logger,
        signal: io.signal,
        all: flags.all,
        limit: flags.limit,
      });
    } finally {
      await session.close();
    }
    if (results.history) {
      if (flags.json) writeJson(io, results.history);
      else if (results.history.length > 0) print(io.stdout, formatHistory(results.history));
    } else if (results.latest) {
      if (flags.json) writeJson(io, results.latest);
      else {
        const { formatScanTable } = await import('../../scan/report/index.js');
        print(io.stdout, formatScanTable(results.latest, { showScanner: true }));
      }
      applyFailOn(cmd, results.latest, failOn);
    }
    if (!results.latest && !results.history?.length) {
      print(
        io.stderr,
        `no scan result is stored for ${image} (${results.digest}); store one with \`airlock scan --save\``,
      );
      setExitCode(cmd, ExitCode.NotFound);
    }
  });
}

function formatHistory(history: ScanResultHeader[]): string {
  return formatTable(
    ['SCANNED', 'BY', 'PLATFORMS', ...SHOWN_RATINGS, 'ID', 'REFERENCE'],
    history.map((r) => [
      `${r.scannedAt.toISOString().slice(0, 19)}Z`,
      r.scanner.version ? `${r.origin} ${r.scanner.version}` : r.origin,
      r.platforms.length === 1 ? shortDigest(r.platforms[0]!.manifestDigest) : String(r.platforms.length),
      ...SHOWN_RATINGS.map((rating) => String(r.summary[rating] ?? 0)),
      r.id,
      r.reference,
    ]),
  );
}
