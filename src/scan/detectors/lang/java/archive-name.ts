/** Archive extensions the Java detector opens. */
export const JAVA_ARCHIVE = /\.(?:jar|war|ear|jpi|hpi)$/i;

/**
 * Artifact id and version from a Maven-style file name, `<artifactId>-<version>[-<classifier>].jar`.
 * The version starts at a `-` followed by a digit; when several do (`log4j-1.2-api-2.17.1`),
 * the last one opening a dotted number wins, since artifact ids rarely end in one but often
 * contain one. Undefined when the name has no version (`app.jar`).
 */
export function parseArchiveName(fileName: string): { artifactId: string; version: string } | undefined {
  const stem = fileName.replace(JAVA_ARCHIVE, '');
  const starts = [...stem.matchAll(/-(?=\d)/g)].map((m) => m.index);
  if (starts.length === 0) return undefined;
  const dotted = starts.filter((at) => /^\d+\.\d+/.test(stem.slice(at + 1)));
  const at = dotted.length > 0 ? dotted[dotted.length - 1]! : starts[0]!;
  const artifactId = stem.slice(0, at);
  const version = stem.slice(at + 1);
  return artifactId && version ? { artifactId, version } : undefined;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
