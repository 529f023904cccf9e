import type { Command } from 'commander';
import type { ReferrerNode } from '../../app/referrers-service.js';
import type { CliIo } from '../io.js';
import { openRegistrySession } from '../registry-session.js';
import { type RegistryFlags, addRegistryFlags, positiveInt, writeJson } from '../options.js';
import { formatBytes } from '../render/format.js';
import { type TreeNode, formatTree } from '../render/tree.js';

interface ReferrersFlags extends RegistryFlags {
  artifactType?: string;
  depth?: number;
}

export function registerReferrersCommand(program: Command, io: CliIo): void {
  const command = program
    .command('referrers')
    .alias('discover')
    .summary('show the signatures, SBOMs and attestations attached to an image')
    .description(
      'Show the referrers of an image as a tree: OCI referrers (Referrers API or the tag-schema fallback) and cosign .sig/.att/.sbom tags, recursively.',
    )
    .argument('<image>', 'image reference or OCI layout location')
    .option('--artifact-type <type>', 'only referrers of this artifact type')
    .option('--depth <n>', 'how deep to follow referrers of referrers (default 4)', positiveInt('--depth'));
  addRegistryFlags(command).action(async (image: string, flags: ReferrersFlags) => {
    const { discoverReferrers } = await import('../../app/referrers-service.js');
    const session = await openRegistrySession(io, flags);
    try {
      const tree = await discoverReferrers(image, {
        session,
        artifactType: flags.artifactType,
        depth: flags.depth,
        signal: io.signal,
      });
      if (flags.json) writeJson(io, tree);
      else io.stdout.write(`${formatTree(toTree(tree, image))}\n`);
    } finally {
      await session.close();
    }
  });
}

function toTree(node: ReferrerNode, label?: string): TreeNode {
  const d = node.descriptor;
  const created = d.annotations?.['org.opencontainers.image.created'];
  const text =
    label !== undefined
      ? `${label}@${d.digest}`
      : `${d.artifactType ?? d.mediaType}  ${d.digest}  ${formatBytes(d.size)}${node.tag ? `  (tag ${node.tag})` : ''}${created ? `  created ${created}` : ''}`;
  return { label: text, children: node.referrers.map((child) => toTree(child)) };
}
