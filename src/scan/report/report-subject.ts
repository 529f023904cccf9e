import { AppError } from '../../kernel/index.js';
import {
  type Descriptor,
  type Manifest,
  type Platform,
  formatPlatform,
  platformMatches,
} from '../../oci/manifest/index.js';
import type { ImportedScan } from '../vulndb/index.js';
import type { PlatformRecord } from './scan-record.js';

export interface ReportSubjectOptions {
  /** The report, as named in messages (its file). */
  source: string;
  /** The image, as named in messages. */
  reference: string;
  /** The platform the user says the report covers (`--platform`). */
  platform?: Platform;
}

export interface ReportSubject {
  /** The platform manifest the report's findings belong to. */
  manifest: Descriptor;
  platform?: PlatformRecord['platform'];
}

/**
 * Which manifest of the image a Trivy or Grype report describes. A report that names digests
 * (Trivy's `RepoDigests`, Grype's `repoDigests` and `manifestDigest`) must name the image or
 * one of its platform manifests: a report of another image is refused, so that it cannot
 * stand as this image's scan. Within a multi-platform index, a platform manifest the report
 * names wins; then the platform asked for or the one the report states; then the only one.
 */
export function resolveReportSubject(
  root: Manifest,
  imported: ImportedScan,
  options: ReportSubjectOptions,
): ReportSubject {
  const entries = root.kind === 'image' ? [root.descriptor] : platformEntries(root);
  const named = imported.artifact.digests;
  const byDigest = root.kind === 'index' ? entries.find((e) => named.includes(e.digest)) : undefined;
  if (named.length > 0 && !named.includes(root.descriptor.digest) && !byDigest) {
    throw new AppError(
      'SCAN_REPORT_IMAGE_MISMATCH',
      `${options.source} is a report of ${describeArtifact(imported)}, not of ${options.reference} (${root.descriptor.digest}${entries.length > 1 || byDigest ? ' or its platform manifests' : ''}); import it with the image it was made from`,
      { details: { reportDigests: named, imageDigest: root.descriptor.digest } },
    );
  }
  if (root.kind === 'image') return subjectOf(root.descriptor, options.platform ?? imported.platform);
  if (byDigest) {
    if (options.platform && !platformMatches(options.platform, byDigest.platform))
      throw platformConflict(byDigest, options);
    return subjectOf(byDigest, byDigest.platform);
  }
  return subjectOf(...chooseByPlatform(entries, imported, options));
}

/** Image manifests of an index, without BuildKit attestation manifests (`unknown/unknown`). */
function platformEntries(root: Manifest & { kind: 'index' }): Descriptor[] {
  return root.index.manifests.filter(
    (d) =>
      d.platform?.os !== 'unknown' && d.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest',
  );
}

function chooseByPlatform(
  entries: Descriptor[],
  imported: ImportedScan,
  options: ReportSubjectOptions,
): [Descriptor, Platform | undefined] {
  const wanted = options.platform ?? imported.platform;
  const offered = entries.map((e) => (e.platform ? formatPlatform(e.platform) : e.digest)).join(', ');
  if (wanted) {
    const match = entries.find((e) => platformMatches(wanted, e.platform));
    if (match) return [match, match.platform];
    const said = options.platform ? '--platform asks for' : `${options.source} says it scanned`;
    throw new AppError(
      options.platform ? 'OCI_PLATFORM_NOT_FOUND' : 'SCAN_REPORT_IMAGE_MISMATCH',
      `${said} ${formatPlatform(wanted)}, but ${options.reference} offers ${offered || 'no platform'}`,
    );
  }
  if (entries.length === 1) return [entries[0]!, entries[0]!.platform];
  throw new AppError(
    'USAGE_INVALID',
    `${options.reference} is a multi-platform image and ${options.source} does not say which platform it covers; name it with --platform (offered: ${offered})`,
  );
}

function subjectOf(manifest: Descriptor, platform: Platform | undefined): ReportSubject {
  const { mediaType, digest, size } = manifest;
  return {
    manifest: { mediaType, digest, size },
    ...(platform
      ? {
          platform: {
            os: platform.os,
            architecture: platform.architecture,
            ...(platform.variant ? { variant: platform.variant } : {}),
          },
        }
      : {}),
  };
}

function platformConflict(entry: Descriptor, options: ReportSubjectOptions): AppError {
  return new AppError(
    'SCAN_REPORT_IMAGE_MISMATCH',
    `${options.source} names platform manifest ${entry.digest} (${entry.platform ? formatPlatform(entry.platform) : 'no platform'}), not ${formatPlatform(options.platform!)}`,
  );
}

function describeArtifact(imported: ImportedScan): string {
  const digests = imported.artifact.digests.join(', ');
  return imported.artifact.name ? `${imported.artifact.name} (${digests})` : digests;
}
