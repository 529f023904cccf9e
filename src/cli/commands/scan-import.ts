import type { Command } from 'commander';
import { resolveDataDir } from '../../app/data-dir.js';
import type { ScannerReportFormat } from '../../app/scan-import-service.js';
import { AppError } from '../../kernel/index.js';
import { parsePlatform } from '../../oci/manifest/index.js';
import { type CliIo, print } from '../io.js';
import { openRegistrySession } from '../registry-session.js';
import { type RegistryFlags, addRegistryFlags, cliLogger, collect, writeJson } from '../options.js';
import {
  ATTACH_HELP,
  FAIL_ON_HELP,
  NO_ATTACHED_VEX_HELP,
  SAVE_HELP,
  applyFailOn,
  parseFailOn,
  evidenceReporter,
} from './scan-output.js';

interface ImportFlags extends RegistryFlags {
  format: string;
  image: string;
  platform?: string;
  vex?: string[];
  attachedVex: boolean;
  save?: boolean;
  attach?: boolean;
  failOn?: string;
  data?: string;
}

const FORMATS: readonly ScannerReportFormat[] = ['trivy', 'grype'];

/** `airlock scan import`: a Trivy or Grype report as the scan result of an image digest. */
export function registerScanImportCommand(scan: Command, io: CliIo): void {
  const command = scan
    .command('import')
    .summary('take a Trivy or Grype JSON report as the scan result of an image')
    .description(
      'Read a Trivy (`trivy image --format json`) or Grype (`grype -o json`) report and make it the scan result of the image it was made from: ' +
        'the image is resolved where it lives, and a report that names another digest is refused. ' +
        "VEX applies as to `airlock scan`; --save stores the result and --attach pushes it next to the image, exactly as for Airlock's own scans. " +
        'The report is printed as `airlock scan` prints its results.',
    )
    .argument('<file>', 'the JSON report')
    .requiredOption('--format <scanner>', `the report's scanner: ${FORMATS.join(' or ')}`)
    .requiredOption('--image <image>', 'the image the report is of: reference or OCI layout location')
    .option(
      '--platform <os/arch[/variant]>',
      'the platform of a multi-platform image the report covers, when the report does not say',
    )
    .option('--vex <file>', 'apply this OpenVEX document (repeatable)', collect)
    .option('--no-attached-vex', NO_ATTACHED_VEX_HELP)
    .option('--save', SAVE_HELP)
    .option('--attach', ATTACH_HELP)
    .option('--fail-on <severity>', FAIL_ON_HELP)
    .option(
      '--data <dir>',
      'Airlock data directory holding the database (default $AIRLOCK_DATA_DIR, else ./.airlock)',
    );
  addRegistryFlags(command).action(async (file: string, flags: ImportFlags, cmd: Command) => {
    if (!(FORMATS as readonly string[]).includes(flags.format))
      throw new AppError('USAGE_INVALID', `--format must be trivy or grype, got "${flags.format}"`);
    const failOn = parseFailOn(flags.failOn);
    const platform = flags.platform ? parsePlatform(flags.platform) : undefined;
    const logger = cliLogger(io, flags);
    const session = await openRegistrySession(io, flags, logger);
    try {
      const { importScanReport } = await import('../../app/scan-import-service.js');
      const { formatScanTable } = await import('../../scan/report/index.js');
      const { record } = await importScanReport(file, {
        session,
        dataDir: resolveDataDir(flags.data, io.env),
        env: io.env,
        logger,
        signal: io.signal,
        format: flags.format as ScannerReportFormat,
        image: flags.image,
        platform,
        vexFiles: flags.vex,
        attachedVex: flags.attachedVex,
        save: flags.save,
        attach: flags.attach,
        ...evidenceReporter(io),
      });
      if (!flags.save && !flags.attach)
        print(io.stderr, 'note: nothing was stored; add --save or --attach to keep the result');
      if (flags.json) writeJson(io, record);
      else print(io.stdout, formatScanTable(record, { showScanner: true }));
      applyFailOn(cmd, record, failOn);
    } finally {
      await session.close();
    }
  });
}
