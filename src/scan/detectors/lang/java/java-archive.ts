import { LangNoticeCode } from '../notice-codes.js';
import { JAVA_ARCHIVE, baseName, parseArchiveName } from './archive-name.js';
import { bundleLicenses, parseJarManifest } from './jar-manifest.js';
import { parseJavaProperties } from './java-properties.js';
import { type ZipEntry, ZipFormatError, listZipEntries, readZipEntry } from './zip-reader.js';

/** A Maven artifact found in a Java archive. */
export interface JavaArtifact {
  groupId?: string;
  artifactId: string;
  version: string;
  licenses?: string[];
  /** The archive it was found in, nested ones as `outer.jar!/BOOT-INF/lib/inner.jar`. */
  archive: string;
  /** Where the identity came from, most to least reliable. */
  source: 'pom.properties' | 'manifest' | 'file-name';
}

export interface JavaArchiveProblem {
  code: LangNoticeCode;
  message: string;
}

export interface JavaArchiveScan {
  artifacts: JavaArtifact[];
  problems: JavaArchiveProblem[];
}

export interface JavaArchiveLimits {
  /** Nesting depth opened below the archive itself (EAR → WAR → JAR is 2). */
  maxDepth: number;
  /** Largest nested archive opened, uncompressed. */
  maxNestedBytes: number;
  /** Uncompressed bytes of nested archives opened per top-level archive (zip-bomb bound). */
  maxTotalNestedBytes: number;
}

export const DEFAULT_JAVA_ARCHIVE_LIMITS: JavaArchiveLimits = {
  maxDepth: 3,
  maxNestedBytes: 64 * 1024 * 1024,
  maxTotalNestedBytes: 256 * 1024 * 1024,
};

/** `META-INF/maven/<groupId>/<artifactId>/pom.properties`, written by maven-archiver. */
const POM_PROPERTIES = /^META-INF\/maven\/([^/]+)\/([^/]+)\/pom\.properties$/;
const MANIFEST = 'META-INF/MANIFEST.MF';
/** Metadata files are small; larger ones are not what they claim to be. */
const MAX_METADATA_BYTES = 1024 * 1024;

interface ScanState {
  limits: JavaArchiveLimits;
  nestedBytes: number;
  skippedNested: string[];
  result: JavaArchiveScan;
}

/**
 * The Maven artifacts in a JAR, WAR or EAR: every `pom.properties` (the authoritative
 * identity; shaded jars carry several), else the archive's own identity from its manifest
 * and file name; then the same for nested archives (`BOOT-INF/lib/`, `WEB-INF/lib/`, EAR
 * modules), recursively within `limits`.
 */
export function scanJavaArchive(
  bytes: Uint8Array,
  path: string,
  limits: JavaArchiveLimits = DEFAULT_JAVA_ARCHIVE_LIMITS,
): JavaArchiveScan {
  const state: ScanState = {
    limits,
    nestedBytes: 0,
    skippedNested: [],
    result: { artifacts: [], problems: [] },
  };
  scanArchive(bytes, path, 0, state);
  if (state.skippedNested.length > 0) {
    const listed = state.skippedNested.slice(0, 3).join(', ');
    const more = state.skippedNested.length > 3 ? ` and ${state.skippedNested.length - 3} more` : '';
    state.result.problems.push({
      code: LangNoticeCode.ArchiveNestingLimit,
      message: `${state.skippedNested.length} nested archive(s) of ${path} exceed the nesting depth (${limits.maxDepth}) or size bounds (${limits.maxNestedBytes} bytes each, ${limits.maxTotalNestedBytes} in all) and were not opened: ${listed}${more}`,
    });
  }
  return state.result;
}

function scanArchive(bytes: Uint8Array, path: string, depth: number, state: ScanState): void {
  let entries: ZipEntry[];
  try {
    entries = listZipEntries(bytes);
  } catch (error) {
    state.result.problems.push(unreadable(path, error));
    return;
  }
  const poms = entries.flatMap((entry) => {
    const artifact = readPom(bytes, entry, path, state);
    return artifact ? [artifact] : [];
  });
  const manifestEntry = entries.find((entry) => entry.name.toUpperCase() === MANIFEST);
  const manifestText = manifestEntry ? readMetadata(bytes, manifestEntry, path, state) : undefined;
  const manifest = manifestText === undefined ? new Map<string, string>() : parseJarManifest(manifestText);
  const own = ownIdentity(poms, manifest, path);
  state.result.artifacts.push(...poms, ...(own ? [own] : []));
  for (const entry of entries) {
    if (!entry.name.endsWith('/') && JAVA_ARCHIVE.test(entry.name))
      scanNested(bytes, entry, path, depth, state);
  }
}

function scanNested(bytes: Uint8Array, entry: ZipEntry, path: string, depth: number, state: ScanState): void {
  const nestedPath = `${path}!/${entry.name}`;
  const { limits } = state;
  if (
    depth + 1 > limits.maxDepth ||
    entry.size > limits.maxNestedBytes ||
    state.nestedBytes + entry.size > limits.maxTotalNestedBytes
  ) {
    state.skippedNested.push(nestedPath);
    return;
  }
  state.nestedBytes += entry.size;
  let inner: Uint8Array;
  try {
    inner = readZipEntry(bytes, entry);
  } catch (error) {
    state.result.problems.push(unreadable(nestedPath, error));
    return;
  }
  scanArchive(inner, nestedPath, depth + 1, state);
}

function readPom(
  bytes: Uint8Array,
  entry: ZipEntry,
  archive: string,
  state: ScanState,
): JavaArtifact | undefined {
  const match = POM_PROPERTIES.exec(entry.name);
  if (!match) return undefined;
  const text = readMetadata(bytes, entry, archive, state);
  if (text === undefined) return undefined;
  const properties = parseJavaProperties(text);
  const groupId = properties.get('groupId')?.trim() || match[1]!;
  const artifactId = properties.get('artifactId')?.trim() || match[2]!;
  const version = properties.get('version')?.trim();
  if (!version) return undefined;
  return { groupId, artifactId, version, archive, source: 'pom.properties' };
}

function readMetadata(
  bytes: Uint8Array,
  entry: ZipEntry,
  archive: string,
  state: ScanState,
): string | undefined {
  if (entry.size > MAX_METADATA_BYTES) return undefined;
  try {
    return Buffer.from(readZipEntry(bytes, entry)).toString('utf8');
  } catch (error) {
    state.result.problems.push(unreadable(`${archive}!/${entry.name}`, error));
    return undefined;
  }
}

/**
 * The archive's own artifact when no `pom.properties` names it. A single `pom.properties` is
 * the archive's own; with several (a shaded jar) the one whose artifact id the file name
 * carries is. Otherwise the identity comes from the manifest (`Implementation-*`,
 * `Bundle-*`) and the file name — unless that names one of the poms found. The manifest's
 * `Bundle-License` goes to whichever artifact is the archive's own.
 */
function ownIdentity(
  poms: JavaArtifact[],
  manifest: Map<string, string>,
  path: string,
): JavaArtifact | undefined {
  const fromName = parseArchiveName(baseName(path));
  const licenses = bundleLicenses(manifest.get('bundle-license'));
  const own = poms.length === 1 ? poms[0] : poms.find((pom) => pom.artifactId === fromName?.artifactId);
  if (own) {
    if (licenses.length > 0) own.licenses = licenses;
    return undefined;
  }
  const manifestVersion =
    manifest.get('implementation-version') ||
    manifest.get('bundle-version') ||
    manifest.get('specification-version') ||
    undefined;
  const manifestName =
    manifest.get('bundle-symbolicname')?.split(';')[0]?.trim() ||
    manifest.get('implementation-title') ||
    manifest.get('specification-title');
  const artifactId = fromName?.artifactId ?? manifestName;
  const version = manifestVersion ?? fromName?.version;
  if (!artifactId || !version || poms.some((pom) => pom.artifactId === artifactId)) return undefined;
  const artifact: JavaArtifact = {
    artifactId,
    version,
    archive: path,
    source: manifestVersion !== undefined || fromName === undefined ? 'manifest' : 'file-name',
  };
  const groupId = manifest.get('implementation-vendor-id');
  if (groupId) artifact.groupId = groupId;
  if (licenses.length > 0) artifact.licenses = licenses;
  return artifact;
}

function unreadable(path: string, error: unknown): JavaArchiveProblem {
  const reason = error instanceof ZipFormatError ? error.message : String((error as Error)?.message ?? error);
  return {
    code: LangNoticeCode.ArchiveUnreadable,
    message: `Java archive ${path} could not be read: ${reason}`,
  };
}
