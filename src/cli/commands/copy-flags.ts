import type { Command } from 'commander';
import { type RegistryFlags, positiveInt } from '../options.js';

export interface CopyFlags extends RegistryFlags {
  platform?: string[];
  allPlatforms?: boolean;
  referrers?: boolean;
  force?: boolean;
  dryRun?: boolean;
  concurrency?: number;
  imageConcurrency?: number;
  chunkSize?: number;
}

/** The flags `copy` and `sync` share. */
export function addCopyFlags(command: Command): Command {
  return command
    .option(
      '--platform <os/arch[/variant]>',
      'copy only these platforms (repeatable or comma-separated); writes a new index',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--all-platforms', 'copy every platform, keeping the digest (the default)')
    .option(
      '--referrers',
      'also copy referrers (signatures, SBOMs, attestations) and cosign .sig/.att/.sbom tags, recursively',
    )
    .option('--force', 'transfer even what the destination already has')
    .option('--dry-run', 'report what would be copied without writing anything')
    .option('--concurrency <n>', 'blob transfers at once (default 16)', positiveInt('--concurrency'))
    .option(
      '--image-concurrency <n>',
      'images copied at once (default 8)',
      positiveInt('--image-concurrency'),
    )
    .option(
      '--chunk-size <bytes>',
      'upload blobs in chunks of this many bytes (default: one request per blob)',
      positiveInt('--chunk-size'),
    );
}
