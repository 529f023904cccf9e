import { describe, expect, it } from 'vitest';
import { captureFilesystem } from '../../testing/captured-fs.js';
import { buildJar } from '../testing/jar.js';
import { createJavaDetector } from './java-detector.js';

const LOG4J = { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: '2.14.1' };

describe('java detector', () => {
  it('turns archives into maven packages with purls, locations and the archive they came from', async () => {
    const detector = createJavaDetector();
    const fat = buildJar({
      poms: [{ groupId: 'com.example', artifactId: 'demo', version: '1.0.0' }],
      manifest: { 'Bundle-License': 'MIT' },
      nested: { 'BOOT-INF/lib/log4j-core-2.14.1.jar': buildJar({ poms: [LOG4J] }) },
    });
    const fs = await captureFilesystem(
      {
        files: {
          '/app/app.jar': { content: fat, mode: 0o755 },
          '/usr/share/java/log4j-core-2.14.1.jar': buildJar({ poms: [LOG4J] }),
          '/usr/share/java/commons-io-2.11.0.jar': buildJar({
            manifest: { 'Implementation-Version': '2.11.0' },
          }),
          '/app/README.txt': 'not a jar',
        },
      },
      [detector],
    );
    const result = await detector.detect({ fs });
    expect(result.notices).toEqual([]);
    expect(result.packages).toEqual([
      {
        type: 'maven',
        name: 'com.example:demo',
        version: '1.0.0',
        purl: 'pkg:maven/com.example/demo@1.0.0',
        licenses: ['MIT'],
        locations: ['/app/app.jar'],
        foundIn: '/app/app.jar',
      },
      {
        type: 'maven',
        name: 'org.apache.logging.log4j:log4j-core',
        version: '2.14.1',
        purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
        locations: ['/app/app.jar'],
        foundIn: '/app/app.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar',
      },
      {
        type: 'maven',
        name: 'org.apache.logging.log4j:log4j-core',
        version: '2.14.1',
        purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
        locations: ['/usr/share/java/log4j-core-2.14.1.jar'],
        foundIn: '/usr/share/java/log4j-core-2.14.1.jar',
      },
      {
        type: 'maven',
        name: 'commons-io',
        version: '2.11.0',
        purl: 'pkg:maven/commons-io/commons-io@2.11.0',
        locations: ['/usr/share/java/commons-io-2.11.0.jar'],
        foundIn: '/usr/share/java/commons-io-2.11.0.jar',
      },
    ]);
  });

  it('reports an archive over the cap without reading it, and a file that is not a zip', async () => {
    const detector = createJavaDetector({ maxArchiveBytes: 1024 });
    const big = buildJar({
      poms: [LOG4J],
      files: { 'data.bin': new Uint8Array(4096).map((_, i) => (i * 7919) % 251) },
    });
    const fs = await captureFilesystem(
      { files: { '/big.jar': big, '/fake.war': 'just text, not a zip archive of any kind at all' } },
      [detector],
    );
    const result = await detector.detect({ fs });
    expect(result.packages).toEqual([]);
    expect(result.notices).toEqual([
      {
        level: 'warning',
        code: 'SCAN_JAVA_ARCHIVE_TOO_LARGE',
        path: '/big.jar',
        message: `Java archive /big.jar is ${big.length} bytes, more than the 1024 read; its packages are missing from the inventory`,
      },
      {
        level: 'warning',
        code: 'SCAN_JAVA_ARCHIVE_UNREADABLE',
        path: '/fake.war',
        message:
          'Java archive /fake.war could not be read: no end of central directory record (not a zip file, or truncated)',
      },
    ]);
  });

  it('does not hold an oversized archive: the probe stops before reading it', async () => {
    const detector = createJavaDetector({ maxArchiveBytes: 1024 });
    const request = detector.select({ path: '/big.jar', type: 'file', size: 1 << 30, mode: 0o644 });
    expect(request?.kind).toBe('probe');
    let pulled = 0;
    const chunks = (async function* () {
      pulled++;
      yield Buffer.alloc(10);
    })();
    const result =
      request?.kind === 'probe'
        ? await request.probe(chunks, { path: '/big.jar', type: 'file', size: 1 << 30, mode: 0o644 })
        : undefined;
    expect(result).toEqual({ kind: 'java-archive-too-large', size: 1 << 30, limit: 1024 });
    expect(pulled).toBe(0);
  });
});
