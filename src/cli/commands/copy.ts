import { readInputFile } from '../../app/read-input.js';
import { type Command, Option } from 'commander';
import { type CopySpec, copyImages, destinationUnder } from '../../app/copy-service.js';
import { AppError } from '../../kernel/index.js';
import { type CliIo, readAll } from '../io.js';
import { addRegistryFlags } from '../options.js';
import { type CopyFlags, addCopyFlags, runCopy } from './copy-run.js';

interface CopyCommandFlags extends CopyFlags {
  to?: string;
  file?: string;
}

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
      const specs = await copySpecs(locations, flags, io);
      await runCopy(cmd, io, flags, (options) => copyImages(specs, options));
    },
  );
}

async function copySpecs(locations: string[], flags: CopyCommandFlags, io: CliIo): Promise<CopySpec[]> {
  const specs: CopySpec[] = [];
  if (flags.file) specs.push(...parseCopyFile(await readCopyFile(flags.file, io), flags.file, flags.to));
  if (flags.to) {
    specs.push(...locations.map((source) => ({ source, destination: destinationUnder(flags.to!, source) })));
  } else if (locations.length === 2) {
    specs.push({ source: locations[0]!, destination: locations[1]! });
  } else if (locations.length !== 0 || !flags.file) {
    throw new AppError(
      'USAGE_INVALID',
      `copy takes SOURCE DESTINATION, or several SOURCEs with --to PREFIX (got ${locations.length} location${locations.length === 1 ? '' : 's'})`,
    );
  }
  return specs;
}

async function readCopyFile(file: string, io: CliIo): Promise<string> {
  return file === '-' ? readAll(io.stdin) : readInputFile(file);
}

/** Lines of `SOURCE [DESTINATION]`; a line without destination needs `--to`. Errors name the line. */
export function parseCopyFile(text: string, file: string, to: string | undefined): CopySpec[] {
  const specs: CopySpec[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const fields = line.split(/\s+/);
    const where = `${file}:${index + 1}`;
    if (fields.length > 2)
      throw new AppError(
        'USAGE_INVALID',
        `${where}: expected "SOURCE [DESTINATION]", found ${fields.length} fields`,
      );
    if (fields.length === 1 && !to)
      throw new AppError(
        'USAGE_INVALID',
        `${where}: "${fields[0]}" has no destination; add one or pass --to PREFIX`,
      );
    try {
      specs.push({ source: fields[0]!, destination: fields[1] ?? destinationUnder(to!, fields[0]!) });
    } catch (error) {
      throw error instanceof AppError
        ? new AppError(error.code, `${where}: ${error.message}`, { cause: error })
        : error;
    }
  });
  return specs;
}
