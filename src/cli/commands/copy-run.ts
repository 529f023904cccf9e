import type { Command } from 'commander';
import type { CopyFlags } from './copy-flags.js';
import type { CopyReport, CopyServiceOptions } from '../../app/copy-service.js';
import { openBlobLocationCache } from '../../app/blob-location-cache.js';
import { createRegistrySession } from '../../app/registry-access.js';
import { ExitCode, exitCodeFor, setExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { cliLogger, parsePlatforms, writeJson } from '../options.js';
import type { RateLimitInfo } from '../../oci/remote/index.js';
import { formatRateLimit, formatReportLine, formatSummary, reportJson } from '../render/copy-report.js';
import { CopyProgress } from '../render/progress.js';

/**
 * Runs a copy through the shared service, draws progress on a terminal, prints one line
 * per image and a summary (or JSON), and sets the exit code.
 */
export async function runCopy(
  command: Command,
  io: CliIo,
  flags: CopyFlags,
  execute: (options: CopyServiceOptions) => Promise<CopyReport[]>,
  header?: (reports: CopyReport[]) => Record<string, unknown>,
): Promise<void> {
  const logger = cliLogger(io, flags);
  const session = createRegistrySession({
    env: io.env,
    insecure: flags.insecure,
    logger,
    session: flags.chunkSize ? { uploadChunkSize: flags.chunkSize } : undefined,
  });
  // Where earlier copies left blobs: a new repository mounts what its registry already holds.
  const hints = flags.dryRun ? undefined : openBlobLocationCache(io.env);
  const progress = new CopyProgress(io.stderr, !flags.json);
  const started = Date.now();
  let reports: CopyReport[];
  let rateLimits = new Map<string, RateLimitInfo>();
  try {
    reports = await execute({
      session,
      platforms: flags.allPlatforms ? undefined : parsePlatforms(flags.platform),
      referrers: flags.referrers ?? false,
      force: flags.force ?? false,
      dryRun: flags.dryRun ?? false,
      concurrency: flags.concurrency,
      imageConcurrency: flags.imageConcurrency,
      signal: io.signal,
      hints,
      onEvent: (event) => {
        progress.onEvent(event);
      },
    });
  } finally {
    progress.stop();
    rateLimits = await session.rateLimits();
    await session.close();
    await hints
      ?.save()
      .catch((error: unknown) =>
        logger.debug({ path: hints.path, err: (error as Error).message }, 'blob location cache not saved'),
      );
  }
  const elapsed = Date.now() - started;
  if (flags.json) {
    writeJson(io, {
      ...header?.(reports),
      images: reports.map(reportJson),
      elapsedMs: elapsed,
      rateLimits: Object.fromEntries(rateLimits),
    });
  } else {
    for (const report of reports) io.stdout.write(`${formatReportLine(report)}\n`);
    if (reports.length !== 1 || reports[0]?.error === undefined)
      io.stdout.write(`${formatSummary(reports, elapsed)}\n`);
    for (const [registry, info] of rateLimits) io.stderr.write(`${formatRateLimit(registry, info)}\n`);
  }
  setExitCode(command, copyExitCode(reports));
}

function copyExitCode(reports: CopyReport[]): number {
  const failed = reports.filter((r) => r.error);
  if (failed.length === 0) return ExitCode.Ok;
  if (reports.length === 1) return exitCodeFor(failed[0]!.error);
  return failed.length === reports.length ? exitCodeFor(failed[0]!.error) : ExitCode.Partial;
}
