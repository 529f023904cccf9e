import { type Zippable, zipSync } from 'fflate';

/**
 * Builds Java archives the way Maven and Spring Boot lay them out, with fflate's zip writer:
 * `META-INF/MANIFEST.MF` first, `META-INF/maven/<g>/<a>/pom.properties` per artifact, class
 * files, and nested archives stored uncompressed (as Spring Boot's repackager stores
 * `BOOT-INF/lib/*.jar`).
 */
export interface JarSpec {
  /** Artifacts with a pom.properties (several for a shaded jar). */
  poms?: { groupId: string; artifactId: string; version: string }[];
  /** Main-section manifest headers, in order. */
  manifest?: Record<string, string>;
  /** Nested archives by entry path (`BOOT-INF/lib/x-1.0.jar`). */
  nested?: Record<string, Uint8Array>;
  /** Further entries by path. */
  files?: Record<string, string | Uint8Array>;
}

export function buildJar(spec: JarSpec): Buffer {
  const entries: Zippable = {};
  entries['META-INF/MANIFEST.MF'] = text(manifestText({ 'Manifest-Version': '1.0', ...spec.manifest }));
  for (const pom of spec.poms ?? []) {
    entries[`META-INF/maven/${pom.groupId}/${pom.artifactId}/pom.properties`] = text(pomProperties(pom));
    entries[`META-INF/maven/${pom.groupId}/${pom.artifactId}/pom.xml`] = text(
      `<project><artifactId>${pom.artifactId}</artifactId></project>\n`,
    );
  }
  for (const [path, content] of Object.entries(spec.files ?? {}))
    entries[path] = typeof content === 'string' ? text(content) : content;
  for (const [path, jar] of Object.entries(spec.nested ?? {})) entries[path] = [jar, { level: 0 }];
  entries['com/example/Main.class'] = new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61]);
  return Buffer.from(zipSync(entries, { level: 6, mtime: new Date('2024-01-02T03:04:05Z') }));
}

/** pom.properties as maven-archiver writes it (a comment line, then the three keys). */
export function pomProperties(pom: { groupId: string; artifactId: string; version: string }): string {
  return `#Created by Apache Maven 3.9.6\ngroupId=${pom.groupId}\nartifactId=${pom.artifactId}\nversion=${pom.version}\n`;
}

/** Manifest text with 72-byte line wrapping (JAR File Specification, "Line length"). */
export function manifestText(headers: Record<string, string>): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const line = Buffer.from(`${name}: ${value}`);
    lines.push(line.subarray(0, 72).toString());
    for (let at = 72; at < line.length; at += 71) lines.push(` ${line.subarray(at, at + 71).toString()}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function text(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'utf8'));
}
