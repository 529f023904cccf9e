import type { Command } from 'commander';
import type { PublishOptions } from '../../app/scan-service.js';
import { AppError } from '../../kernel/index.js';
import type { ScanRecord } from '../../scan/report/index.js';
import { SEVERITY_RATINGS, type SeverityRating, hasFindingsAtOrAbove } from '../../scan/vulndb/severity.js';
import { ExitCode, setExitCode } from '../exit-codes.js';
import { type CliIo, print } from '../io.js';
import { plural, shortDigest } from '../render/format.js';

/** What `scan`, `scan import` and `scan results` share: severity thresholds and evidence messages. */

export const FAIL_ON_HELP = `exit with code ${ExitCode.Findings} when a finding is at least this severe: LOW, MEDIUM, HIGH, CRITICAL, or UNKNOWN for any finding (advisories without a score rate UNKNOWN)`;

export const SAVE_HELP =
  'store the result in the database under the image digest (see `airlock scan results`)';
export const ATTACH_HELP =
  'push the result next to the image as an in-toto vulnerability attestation (unsigned) referring to it';
export const NO_ATTACHED_VEX_HELP = 'do not apply OpenVEX documents attached to the image as referrers';

function parseSeverity(text: string): SeverityRating {
  const upper = text.toUpperCase() as SeverityRating;
  if (!SEVERITY_RATINGS.includes(upper) || upper === 'NONE') {
    throw new AppError(
      'USAGE_INVALID',
      `--fail-on must be UNKNOWN (any finding), LOW, MEDIUM, HIGH or CRITICAL, got "${text}"`,
    );
  }
  return upper;
}

/** `--fail-on`, checked before any work is done. */
export function parseFailOn(text: string | undefined): SeverityRating | undefined {
  return text === undefined ? undefined : parseSeverity(text);
}

/** Sets exit code 6 when `--fail-on` is given and met. */
export function applyFailOn(command: Command, record: ScanRecord, failOn: SeverityRating | undefined): void {
  if (failOn !== undefined && hasFindingsAtOrAbove(record, failOn)) setExitCode(command, ExitCode.Findings);
}

/** Hooks saying on stderr where the result went, as it goes there (stdout stays the report). */
export function evidenceReporter(io: CliIo): Pick<PublishOptions, 'onSaved' | 'onAttached'> {
  return {
    onSaved: (saved, record) =>
      print(
        io.stderr,
        `saved scan result ${saved.id} of ${record.digest} (${plural(record.platforms.length, 'platform')})`,
      ),
    onAttached: (attestation, record) =>
      print(
        io.stderr,
        `attached vulnerability attestation ${attestation.digest} to ${record.reference} (${shortDigest(record.digest)})`,
      ),
  };
}
