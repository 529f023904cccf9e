import { type Command, Option } from 'commander';
import type { CliIo } from '../io.js';
import { addRegistryFlags } from '../options.js';
import { type CopyFlags, addCopyFlags } from './copy-flags.js';
import type { PairFlags } from './location-pairs.js';

interface CopyCommandFlags extends CopyFlags, PairFlags {}

export function registerCopyCommand(program: Command, io: CliIo): void {
  const command = program
    .command('copy')
    .alias('cp')
    .summary('copy images between registries and OCI layouts')
    .description(
      [
        'Copy images — every platform, digest preserved — from one registry or OCI layout to another.',
        "Locations are registry references (docker.io/library/alpine:3.20, localhost:5000/team/app:1.2, docker://ghcr.io/o/i@sha256:…) or OCI image layouts (oci:DIR[:TAG], ocidir://DIR[:TAG]). A destination without a tag takes the source's tag.",
        'Nothing is transferred when the destination already has the digest; blobs it has are skipped, and blobs in another repository of the same registry are mounted.',
      ].join('\n\n'),
    )
    .argument('[locations...]', 'SOURCE DESTINATION, or several SOURCEs with --to')
    .addOption(new Option('--to <prefix>', 'copy every SOURCE to PREFIX/<repository path>:<tag>'))
    .addOption(
      new Option(
        '-f, --file <file>',
        'read "SOURCE [DESTINATION]" lines from FILE ("-" for stdin; # comments)',
      ),
    );
  addRegistryFlags(addCopyFlags(command)).action(
    async (locations: string[], flags: CopyCommandFlags, cmd: Command) => {
      // The copy machinery (HTTP client, registry protocol, copier) loads when a copy runs.
      const [{ locationPairs }, { runCopy }, { copyImages }] = await Promise.all([
        import('./location-pairs.js'),
        import('./copy-run.js'),
        import('../../app/copy-service.js'),
      ]);
      const specs = await locationPairs('copy', locations, flags, io);
      await runCopy(cmd, io, flags, (options) => copyImages(specs, options));
    },
  );
}
