import type { Package, ScanNotice } from '../../../inventory/types.js';
import type { CaptureRequest, EntryInfo, FileSelector } from '../../../layers/types.js';
import type { DetectContext, Detector, DetectorResult } from '../../types.js';
import { buildLangPurl } from '../lang-purl.js';
import { LangNoticeCode } from '../notice-codes.js';
import { probeResultFor } from '../probe-result.js';
import { JAVA_ARCHIVE } from './archive-name.js';
import {
  DEFAULT_JAVA_ARCHIVE_LIMITS,
  type JavaArchiveLimits,
  type JavaArchiveScan,
  type JavaArtifact,
  scanJavaArchive,
} from './java-archive.js';

export interface JavaDetectorOptions extends Partial<JavaArchiveLimits> {
  /** Largest archive read; larger ones are reported and skipped. Default 128 MiB. */
  maxArchiveBytes?: number;
}

/** Fat jars of large services reach a few hundred MiB only rarely; this keeps memory bounded. */
const DEFAULT_MAX_ARCHIVE_BYTES = 128 * 1024 * 1024;

type JavaProbeResult =
  | ({ kind: 'java-archive' } & JavaArchiveScan)
  | { kind: 'java-archive-too-large'; size: number; limit: number };

/**
 * Java archives (`.jar`, `.war`, `.ear`, Jenkins `.jpi`/`.hpi`). Each archive is streamed into
 * a probe that holds it (up to `maxArchiveBytes`) only while it reads the zip's central
 * directory and returns the artifacts found, so that no more than one archive per layer
 * reader is in memory at a time.
 */
export function createJavaDetector(options: JavaDetectorOptions = {}): Detector {
  const maxArchiveBytes = options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
  const limits: JavaArchiveLimits = { ...DEFAULT_JAVA_ARCHIVE_LIMITS, ...definedOnly(options) };
  const request: CaptureRequest = {
    kind: 'probe',
    probe: (chunks, entry) => probeArchive(chunks, entry, maxArchiveBytes, limits),
  };
  const detector: Detector = {
    name: 'java',
    select: (entry) => (entry.type === 'file' && JAVA_ARCHIVE.test(entry.path) ? request : undefined),
    detect: (context) => detectJava(context, detector),
  };
  return detector;
}

async function probeArchive(
  chunks: AsyncIterable<Buffer>,
  entry: EntryInfo,
  maxArchiveBytes: number,
  limits: JavaArchiveLimits,
): Promise<JavaProbeResult> {
  const tooLarge = (size: number): JavaProbeResult => ({
    kind: 'java-archive-too-large',
    size,
    limit: maxArchiveBytes,
  });
  if (entry.size > maxArchiveBytes) return tooLarge(entry.size);
  // The tar header's size is a hint; a stream longer than it (or than the cap) is handled too.
  let buffer = Buffer.allocUnsafe(entry.size);
  let length = 0;
  for await (const chunk of chunks) {
    if (length + chunk.length > maxArchiveBytes) return tooLarge(length + chunk.length);
    if (length + chunk.length > buffer.length) {
      const grown = Buffer.allocUnsafe(
        Math.min(maxArchiveBytes, Math.max(2 * buffer.length, length + chunk.length)),
      );
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    chunk.copy(buffer, length);
    length += chunk.length;
  }
  const bytes = buffer.subarray(0, length);
  return { kind: 'java-archive', ...scanJavaArchive(bytes, entry.path, limits) };
}

function detectJava(context: DetectContext, selector: FileSelector): DetectorResult {
  const packages: Package[] = [];
  const notices: ScanNotice[] = [];
  for (const file of context.fs.find((path) => JAVA_ARCHIVE.test(path))) {
    const probe = asJavaProbe(probeResultFor(file, selector));
    if (probe?.kind === 'java-archive-too-large') {
      notices.push({
        level: 'warning',
        code: LangNoticeCode.ArchiveTooLarge,
        path: file.path,
        message: `Java archive ${file.path} is ${probe.size} bytes, more than the ${probe.limit} read; its packages are missing from the inventory`,
      });
    } else if (probe?.kind === 'java-archive') {
      packages.push(...javaPackages(probe.artifacts, file.path));
      for (const problem of probe.problems) notices.push({ level: 'warning', ...problem, path: file.path });
    }
  }
  return { packages, notices };
}

/**
 * One package per artifact and archive it was found in. Named `groupId:artifactId` as the
 * OSV Maven ecosystem names packages. A maven purl needs a namespace: when only the manifest
 * or file name identified the archive, the group is unknown and the artifact id stands in for
 * it, as Syft does — right for the many old artifacts published that way (`commons-io`,
 * `log4j`, `junit`), and the package name (the bare artifact id) shows the group was not known.
 */
function javaPackages(artifacts: JavaArtifact[], path: string): Package[] {
  const seen = new Set<string>();
  const packages: Package[] = [];
  for (const artifact of artifacts) {
    const namespace = artifact.groupId ?? artifact.artifactId;
    const purl = buildLangPurl('maven', namespace, artifact.artifactId, artifact.version);
    if (!purl || seen.has(`${purl} ${artifact.archive}`)) continue;
    seen.add(`${purl} ${artifact.archive}`);
    const name = artifact.groupId ? `${artifact.groupId}:${artifact.artifactId}` : artifact.artifactId;
    const pkg: Package = {
      type: 'maven',
      name,
      version: artifact.version,
      purl,
      locations: [path],
      foundIn: artifact.archive,
    };
    if (artifact.licenses?.length) pkg.licenses = artifact.licenses;
    packages.push(pkg);
  }
  return packages;
}

function asJavaProbe(value: unknown): JavaProbeResult | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'java-archive' || kind === 'java-archive-too-large'
    ? (value as JavaProbeResult)
    : undefined;
}

function definedOnly(options: JavaDetectorOptions): Partial<JavaArchiveLimits> {
  const out: Partial<JavaArchiveLimits> = {};
  if (options.maxDepth !== undefined) out.maxDepth = options.maxDepth;
  if (options.maxNestedBytes !== undefined) out.maxNestedBytes = options.maxNestedBytes;
  if (options.maxTotalNestedBytes !== undefined) out.maxTotalNestedBytes = options.maxTotalNestedBytes;
  return out;
}
