import type { Command } from 'commander';
import { parsePlatform } from '../../oci/manifest/index.js';
import type { CliIo } from '../io.js';
import { openRegistrySession } from '../registry-session.js';
import { type RegistryFlags, addRegistryFlags, writeJson } from '../options.js';
import { formatInspection } from '../render/inspection.js';

interface InspectFlags extends RegistryFlags {
  raw?: boolean;
  platform?: string;
}

export function registerInspectCommand(program: Command, io: CliIo): void {
  const command = program
    .command('inspect')
    .summary('show an image: digest, platforms, config, layers')
    .description(
      'Show a readable summary of an image or index (registry reference or oci:DIR[:TAG]); --raw prints the manifest bytes exactly as stored.',
    )
    .argument('<image>', 'image reference or OCI layout location')
    .option('--raw', 'print the manifest exactly as the registry serves it')
    .option('--platform <os/arch[/variant]>', 'for an index: inspect the manifest of this platform');
  addRegistryFlags(command).action(async (image: string, flags: InspectFlags) => {
    const { inspectImage } = await import('../../app/inspect-service.js');
    const session = await openRegistrySession(io, flags);
    try {
      const inspection = await inspectImage(image, {
        session,
        platform: flags.platform ? parsePlatform(flags.platform) : undefined,
        withConfig: !flags.raw,
        signal: io.signal,
      });
      if (flags.raw) {
        io.stdout.write(inspection.manifest.bytes);
      } else if (flags.json) {
        const { manifest, config, reference } = inspection;
        const parsed = manifest.kind === 'index' ? manifest.index : manifest.image;
        writeJson(io, {
          reference,
          descriptor: manifest.descriptor,
          manifest: parsed,
          ...(config ? { config } : {}),
        });
      } else {
        io.stdout.write(`${formatInspection(inspection)}\n`);
      }
    } finally {
      await session.close();
    }
  });
}
