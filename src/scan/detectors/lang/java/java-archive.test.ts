import { describe, expect, it } from 'vitest';
import { buildJar } from '../testing/jar.js';
import { parseArchiveName } from './archive-name.js';
import { scanJavaArchive } from './java-archive.js';
import { bundleLicenses, parseJarManifest } from './jar-manifest.js';
import { parseJavaProperties } from './java-properties.js';

const identities = (path: string, jar: Buffer) =>
  scanJavaArchive(jar, path).artifacts.map((a) => [a.groupId, a.artifactId, a.version, a.source, a.archive]);

const LOG4J = { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: '2.14.1' };
const SPRING = { groupId: 'org.springframework', artifactId: 'spring-core', version: '5.3.20' };

describe('scanJavaArchive', () => {
  it('takes the identity from pom.properties', () => {
    const jar = buildJar({
      poms: [LOG4J],
      manifest: { 'Implementation-Title': 'Apache Log4j Core', 'Implementation-Version': '2.14.1' },
    });
    expect(identities('/app/lib/log4j-core-2.14.1.jar', jar)).toEqual([
      [
        'org.apache.logging.log4j',
        'log4j-core',
        '2.14.1',
        'pom.properties',
        '/app/lib/log4j-core-2.14.1.jar',
      ],
    ]);
  });

  it('reports every artifact of a shaded jar', () => {
    const jar = buildJar({
      poms: [{ groupId: 'com.acme', artifactId: 'tool', version: '1.0.0' }, SPRING, LOG4J],
    });
    expect(identities('/opt/tool-1.0.0.jar', jar).map((row) => row.slice(1, 3))).toEqual([
      ['tool', '1.0.0'],
      ['spring-core', '5.3.20'],
      ['log4j-core', '2.14.1'],
    ]);
  });

  it('adds the jar itself from its manifest when only shaded poms are inside (a Gradle build)', () => {
    const jar = buildJar({
      poms: [SPRING, LOG4J],
      manifest: {
        'Implementation-Title': 'acme-service',
        'Implementation-Version': '3.2.1',
        'Implementation-Vendor-Id': 'com.acme',
      },
    });
    expect(identities('/srv/acme-service.jar', jar).at(-1)).toEqual([
      'com.acme',
      'acme-service',
      '3.2.1',
      'manifest',
      '/srv/acme-service.jar',
    ]);
  });

  it('falls back to the manifest, then to the file name', () => {
    const bundle = buildJar({
      manifest: {
        'Bundle-SymbolicName': 'org.example.bundle;singleton:=true',
        'Bundle-Version': '4.0.0.v2024',
      },
    });
    expect(identities('/plugins/bundle.jar', bundle)).toEqual([
      [undefined, 'org.example.bundle', '4.0.0.v2024', 'manifest', '/plugins/bundle.jar'],
    ]);
    const titled = buildJar({
      manifest: { 'Implementation-Title': 'Commons Lang', 'Implementation-Version': '3.12.0' },
    });
    expect(identities('/lib/commons-lang3-3.12.0.jar', titled)).toEqual([
      [undefined, 'commons-lang3', '3.12.0', 'manifest', '/lib/commons-lang3-3.12.0.jar'],
    ]);
    expect(identities('/lib/guava-31.1-jre.jar', buildJar({}))).toEqual([
      [undefined, 'guava', '31.1-jre', 'file-name', '/lib/guava-31.1-jre.jar'],
    ]);
    expect(identities('/lib/app.jar', buildJar({}))).toEqual([]);
  });

  it('reads a Spring Boot fat jar: the application and every BOOT-INF/lib jar', () => {
    const fat = buildJar({
      poms: [{ groupId: 'com.example', artifactId: 'demo', version: '0.0.1-SNAPSHOT' }],
      manifest: {
        'Main-Class': 'org.springframework.boot.loader.launch.JarLauncher',
        'Start-Class': 'com.example.Demo',
      },
      nested: {
        'BOOT-INF/lib/spring-core-5.3.20.jar': buildJar({ poms: [SPRING] }),
        'BOOT-INF/lib/log4j-core-2.14.1.jar': buildJar({ poms: [LOG4J] }),
        'BOOT-INF/lib/jsr305-3.0.2.jar': buildJar({ manifest: { 'Bundle-Version': '3.0.2' } }),
      },
    });
    expect(identities('/app/app.jar', fat)).toEqual([
      ['com.example', 'demo', '0.0.1-SNAPSHOT', 'pom.properties', '/app/app.jar'],
      [
        'org.springframework',
        'spring-core',
        '5.3.20',
        'pom.properties',
        '/app/app.jar!/BOOT-INF/lib/spring-core-5.3.20.jar',
      ],
      [
        'org.apache.logging.log4j',
        'log4j-core',
        '2.14.1',
        'pom.properties',
        '/app/app.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar',
      ],
      [undefined, 'jsr305', '3.0.2', 'manifest', '/app/app.jar!/BOOT-INF/lib/jsr305-3.0.2.jar'],
    ]);
  });

  it('opens EAR → WAR → JAR, and stops at the depth bound with a notice', () => {
    const war = buildJar({ nested: { 'WEB-INF/lib/log4j-core-2.14.1.jar': buildJar({ poms: [LOG4J] }) } });
    const ear = buildJar({ nested: { 'shop.war': war } });
    expect(identities('/deploy/shop.ear', ear).map((row) => row[4])).toEqual([
      '/deploy/shop.ear!/shop.war!/WEB-INF/lib/log4j-core-2.14.1.jar',
    ]);
    const shallow = scanJavaArchive(ear, '/deploy/shop.ear', {
      maxDepth: 1,
      maxNestedBytes: 1 << 20,
      maxTotalNestedBytes: 1 << 20,
    });
    expect(shallow.artifacts).toEqual([]);
    expect(shallow.problems).toEqual([
      {
        code: 'SCAN_JAVA_ARCHIVE_NESTING_LIMIT',
        message: expect.stringContaining(
          '/deploy/shop.ear!/shop.war!/WEB-INF/lib/log4j-core-2.14.1.jar',
        ) as string,
      },
    ]);
  });

  it('bounds the bytes of nested archives opened (zip bombs)', () => {
    const inner = buildJar({ poms: [LOG4J] });
    const nested = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`lib/x${i}-1.0.jar`, inner]));
    const limits = { maxDepth: 3, maxNestedBytes: 1 << 20, maxTotalNestedBytes: inner.length * 4 };
    const result = scanJavaArchive(buildJar({ nested }), '/bomb.jar', limits);
    expect(result.artifacts).toHaveLength(4);
    expect(result.problems[0]?.message).toMatch(/^6 nested archive\(s\) of \/bomb\.jar exceed/);
  });

  it('reports a damaged nested archive and keeps the rest', () => {
    const fat = buildJar({
      nested: {
        'BOOT-INF/lib/broken-1.0.jar': new Uint8Array(Buffer.from('PK\u0003\u0004 damaged')),
        'BOOT-INF/lib/ok.jar': buildJar({ poms: [LOG4J] }),
      },
    });
    const result = scanJavaArchive(fat, '/app.jar');
    expect(result.artifacts.map((a) => a.artifactId)).toEqual(['log4j-core']);
    expect(result.problems).toEqual([
      {
        code: 'SCAN_JAVA_ARCHIVE_UNREADABLE',
        message:
          'Java archive /app.jar!/BOOT-INF/lib/broken-1.0.jar could not be read: no end of central directory record (not a zip file, or truncated)',
      },
    ]);
  });

  it('attaches Bundle-License to the archive’s own artifact', () => {
    const jar = buildJar({
      poms: [SPRING],
      manifest: { 'Bundle-License': 'Apache-2.0;link="https://www.apache.org/licenses/LICENSE-2.0.txt"' },
    });
    expect(scanJavaArchive(jar, '/x.jar').artifacts[0]?.licenses).toEqual(['Apache-2.0']);
  });
});

describe('parseJavaProperties', () => {
  it('reads separators, comments, continuations and escapes', () => {
    const text =
      '#Generated\n! also a comment\ngroupId=org.example\nartifactId : lib\nversion 1.0\nlong = a\\\n    b\nesc=caf\\u00e9\\tx\n';
    expect(Object.fromEntries(parseJavaProperties(text))).toEqual({
      groupId: 'org.example',
      artifactId: 'lib',
      version: '1.0',
      long: 'ab',
      esc: 'café\tx',
    });
  });
});

describe('parseJarManifest', () => {
  it('joins 72-byte continuation lines and stops at the first section break', () => {
    const text =
      'Manifest-Version: 1.0\r\nImplementation-Title: a very long title that the jar tool wraps at seventy-tw\r\n o bytes\r\n\r\nName: com/example/\r\nImplementation-Title: per-entry\r\n';
    const manifest = parseJarManifest(text);
    expect(manifest.get('implementation-title')).toBe(
      'a very long title that the jar tool wraps at seventy-two bytes',
    );
    expect(manifest.has('name')).toBe(false);
  });
});

describe('bundleLicenses', () => {
  it.each([
    ['Apache-2.0', ['Apache-2.0']],
    [
      'EPL-2.0;link="https://x", "GPL-2.0-with-classpath-exception";description="a, b"',
      ['EPL-2.0', 'GPL-2.0-with-classpath-exception'],
    ],
    ['https://www.apache.org/licenses/LICENSE-2.0.txt', []],
    ['<<EXTERNAL>>', []],
  ])('%s → %j', (value, expected) => {
    expect(bundleLicenses(value)).toEqual(expected);
  });
});

describe('parseArchiveName', () => {
  it.each([
    ['commons-lang3-3.12.0.jar', 'commons-lang3', '3.12.0'],
    ['log4j-1.2-api-2.17.1.jar', 'log4j-1.2-api', '2.17.1'],
    ['spring-core-6.0.0-RC1.jar', 'spring-core', '6.0.0-RC1'],
    ['guava-31.1-jre.jar', 'guava', '31.1-jre'],
    ['jenkins-plugin-2.war', 'jenkins-plugin', '2'],
  ])('%s → %s %s', (name, artifactId, version) => {
    expect(parseArchiveName(name)).toEqual({ artifactId, version });
  });

  it.each(['app.jar', '1.0.jar', 'spring-boot-loader.jar'])('%s has no version', (name) => {
    expect(parseArchiveName(name)).toBeUndefined();
  });
});
