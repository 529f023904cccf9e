import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { resolveDataDir } from '../../app/data-dir.js';
import type { ScanOutcome } from '../../app/scan-service.js';
import { AppError } from '../../kernel/index.js';
import type { InventorySource } from '../../scan/inventory/inventory-image.js';
import type { CliIo } from '../io.js';
import { openRegistrySession } from '../registry-session.js';
import { VERSION } from '../version.js';
import { type RegistryFlags, addRegistryFlags, cliLogger, collect, parsePlatforms } from '../options.js';
import { registerScanImportCommand } from './scan-import.js';
import {
  ATTACH_HELP,
  FAIL_ON_HELP,
  NO_ATTACHED_VEX_HELP,
  SAVE_HELP,
  applyFailOn,
  parseFailOn,
  evidenceReporter,
} from './scan-output.js';
import { registerScanResultsCommand } from './scan-results.js';

interface ScanFlags extends RegistryFlags {
  format: string;
  failOn?: string;
  platform?: string[];
  sbom: string;
  vex?: string[];
  attachedVex: boolean;
  save?: boolean;
  attach?: boolean;
  output?: string;
  data?: string;
}

const FORMATS = ['table', 'json', 'sarif', 'cyclonedx'] as const;
const SOURCES: readonly InventorySource[] = ['auto', 'layers', 'attached'];

export function registerScanCommand(program: Command, io: CliIo): void {
  const command = program
    .command('scan')
    .summary('list the vulnerabilities of an image, offline')
    .description(
      [
        "Inventory an image (every platform: OS packages, npm, Python, Go, Java, Ruby) and match it against Airlock's local vulnerability database, offline. Load the database first with `airlock db import` or `airlock db update`.",
        'Images whose publishers attach SBOMs (distroless, hardened images) can be scanned from their SBOM with --sbom attached; --sbom auto (the default) reads the layers and falls back to an attached SBOM when they hold no package database.',
        'OpenVEX documents attached to the image (or given with --vex) mark findings not_affected or fixed; those are listed apart with the document that says so. --save stores the result under the image digest, --attach pushes it next to the image.',
        '`airlock scan results` shows stored results; `airlock scan import` takes a Trivy or Grype report as the scan of an image.',
      ].join('\n\n'),
    )
    .argument('<image>', 'image reference or OCI layout location (oci:DIR[:TAG])')
    .option('--format <format>', `output: ${FORMATS.join(', ')}`, 'table')
    .option('--fail-on <severity>', FAIL_ON_HELP)
    .option('--platform <os/arch[/variant]>', 'only these platforms (repeatable or comma-separated)', collect)
    .option('--sbom <source>', `where the inventory comes from: ${SOURCES.join(', ')}`, 'auto')
    .option('--vex <file>', 'apply this OpenVEX document (repeatable)', collect)
    .option('--no-attached-vex', NO_ATTACHED_VEX_HELP)
    .option('--save', SAVE_HELP)
    .option('--attach', ATTACH_HELP)
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option(
      '--data <dir>',
      'Airlock data directory holding the database (default $AIRLOCK_DATA_DIR, else ./.airlock)',
    )
    // `scan results --json` and `scan import --format trivy` are the subcommands' own flags, not scan's.
    .enablePositionalOptions();
  addRegistryFlags(command).action(async (image: string, flags: ScanFlags, cmd: Command) => {
    const format = flags.json ? 'json' : flags.format;
    if (!(FORMATS as readonly string[]).includes(format))
      throw new AppError('USAGE_INVALID', `--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
    if (!(SOURCES as readonly string[]).includes(flags.sbom))
      throw new AppError('USAGE_INVALID', `--sbom must be one of ${SOURCES.join(', ')}, got "${flags.sbom}"`);
    const failOn = parseFailOn(flags.failOn);
    const logger = cliLogger(io, flags);
    const session = await openRegistrySession(io, flags, logger);
    try {
      const { scanImageAt } = await import('../../app/scan-service.js');
      const outcome = await scanImageAt(image, {
        session,
        dataDir: resolveDataDir(flags.data, io.env),
        env: io.env,
        logger,
        signal: io.signal,
        source: flags.sbom as InventorySource,
        platforms: parsePlatforms(flags.platform),
        vexFiles: flags.vex,
        attachedVex: flags.attachedVex,
        save: flags.save,
        attach: flags.attach,
        toolVersion: VERSION,
        ...evidenceReporter(io),
      });
      if (outcome.advisories === 0) {
        io.stderr.write(
          'warning: the vulnerability database is empty, so nothing can match; load it with `airlock db import PATH` or `airlock db update`\n',
        );
      }
      const rendered = await render(format, outcome);
      if (flags.output) await writeFile(flags.output, rendered);
      else io.stdout.write(rendered);
      applyFailOn(cmd, outcome.record, failOn);
    } finally {
      await session.close();
    }
  });
  registerScanResultsCommand(command, io);
  registerScanImportCommand(command, io);
}

async function render(format: string, outcome: ScanOutcome): Promise<string> {
  const { formatScanTable, toCycloneDxWithVulnerabilities, toSarif } =
    await import('../../scan/report/index.js');
  switch (format) {
    case 'json':
      return `${JSON.stringify(outcome.scan, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(outcome.scan, { toolVersion: VERSION }), null, 2)}\n`;
    case 'cyclonedx':
      return `${JSON.stringify(toCycloneDxWithVulnerabilities(outcome.scan, { toolVersion: VERSION, image: outcome.image }), null, 2)}\n`;
    default:
      return `${formatScanTable(outcome.record)}\n`;
  }
}
