import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { resolveDataDir } from '../../app/data-dir.js';
import { AppError } from '../../kernel/index.js';
import { type Platform, formatPlatform, parsePlatform } from '../../oci/manifest/index.js';
import type { InventorySource } from '../../scan/inventory/inventory-image.js';
import type { CliIo } from '../io.js';
import { openRegistrySession } from '../registry-session.js';
import { type RegistryFlags, addRegistryFlags, cliLogger } from '../options.js';
import { VERSION } from '../version.js';

interface SbomFlags extends RegistryFlags {
  format: string;
  platform?: string;
  sbom: string;
  output?: string;
  data?: string;
}

const FORMATS = ['cyclonedx', 'spdx'] as const;

export function registerSbomCommand(program: Command, io: CliIo): void {
  const command = program
    .command('sbom')
    .summary('write the SBOM of an image (CycloneDX 1.6 or SPDX 2.3)')
    .description(
      "Inventory one platform of an image and write it as CycloneDX 1.6 JSON or SPDX 2.3 JSON. For a multi-platform image, --platform picks the platform; without it, this machine's platform when the image has it, else the first.",
    )
    .argument('<image>', 'image reference or OCI layout location (oci:DIR[:TAG])')
    .option('--format <format>', `${FORMATS.join(' or ')}`, 'cyclonedx')
    .option('--platform <os/arch[/variant]>', 'the platform of a multi-platform image')
    .option('--sbom <source>', 'auto, layers or attached (use the SBOM the publisher attached)', 'auto')
    .option('-o, --output <file>', 'write the SBOM to a file instead of stdout')
    .option('--data <dir>', 'Airlock data directory (default $AIRLOCK_DATA_DIR, else ./.airlock)');
  addRegistryFlags(command).action(async (image: string, flags: SbomFlags) => {
    if (!(FORMATS as readonly string[]).includes(flags.format))
      throw new AppError('USAGE_INVALID', `--format must be cyclonedx or spdx, got "${flags.format}"`);
    const logger = cliLogger(io, flags);
    const session = await openRegistrySession(io, flags, logger);
    try {
      const { inventoryImageAt } = await import('../../app/scan-service.js');
      const { encodeSbom, writeCycloneDx, writeSpdx } = await import('../../scan/sbom/index.js');
      const { inventory, image: described } = await inventoryImageAt(image, {
        session,
        dataDir: resolveDataDir(flags.data, io.env),
        env: io.env,
        logger,
        signal: io.signal,
        source: flags.sbom as InventorySource,
        platforms: flags.platform ? [parsePlatform(flags.platform)] : undefined,
        preferredPlatform: hostPlatform(),
      });
      const chosen = inventory.platforms[0]!;
      if (flags.platform === undefined && inventory.mediaType.includes('index')) {
        io.stderr.write(
          `note: SBOM of ${chosen.platform ? formatPlatform(chosen.platform) : 'the first platform'} (of a multi-platform image; choose with --platform)\n`,
        );
      }
      const options = { toolVersion: VERSION, image: described };
      const document = flags.format === 'spdx' ? writeSpdx(chosen, options) : writeCycloneDx(chosen, options);
      const text = `${encodeSbom(document)}\n`;
      if (flags.output) await writeFile(flags.output, text);
      else io.stdout.write(text);
    } finally {
      await session.close();
    }
  });
}

/** This machine's platform, as image indexes name it. */
function hostPlatform(): Platform {
  const architecture =
    {
      x64: 'amd64',
      arm64: 'arm64',
      arm: 'arm',
      ia32: '386',
      ppc64: 'ppc64le',
      s390x: 's390x',
      riscv64: 'riscv64',
    }[process.arch as string] ?? process.arch;
  return { os: 'linux', architecture };
}
