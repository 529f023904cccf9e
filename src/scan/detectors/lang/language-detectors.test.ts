import { describe, expect, it } from 'vitest';
import { type FileSelector, readFilesystem } from '../../layers/index.js';
import { gzipOf, layerOf, tarOf } from '../../layers/testing/tar-fixtures.js';
import { MemoryCapturedFilesystem } from '../testing/captured-fs.js';
import { createGoBinaryDetector, createJavaDetector, createLanguageDetectors } from './index.js';
import { buildGoElf } from './testing/go-elf.js';
import { buildJar } from './testing/jar.js';
import { URLLIB3_2_8_0_METADATA } from './testing/python-metadata.js';

const MODINFO =
  'path\tgithub.com/acme/tool\nmod\tgithub.com/acme/tool\tv1.2.0\th1:x=\ndep\tgolang.org/x/net\tv0.17.0\th1:y=\n';

describe('language detectors over the layer reader', () => {
  it('inventories every ecosystem from real layers, after whiteouts', async () => {
    const fatJar = buildJar({
      poms: [{ groupId: 'com.example', artifactId: 'demo', version: '1.0.0' }],
      nested: {
        'BOOT-INF/lib/log4j-core-2.14.1.jar': buildJar({
          poms: [{ groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: '2.14.1' }],
        }),
      },
    });
    const base = await tarOf([
      {
        name: 'app/node_modules/express/package.json',
        content: '{"name":"express","version":"4.18.2","license":"MIT"}',
      },
      { name: 'app/node_modules/left-pad/package.json', content: '{"name":"left-pad","version":"1.3.0"}' },
      {
        name: 'usr/local/lib/python3.12/site-packages/urllib3-2.8.0.dist-info/METADATA',
        content: URLLIB3_2_8_0_METADATA,
      },
      {
        name: 'usr/local/bin/tool',
        content: buildGoElf({ goVersion: 'go1.21.3', modinfo: MODINFO, textBytes: 300_000 }),
        mode: 0o755,
      },
      { name: 'app/app.jar', content: fatJar, mode: 0o755 },
      {
        name: 'usr/local/bundle/specifications/rack-2.2.8.gemspec',
        content: 's.name = "rack".freeze\ns.version = "2.2.8"\n',
      },
    ]);
    const upper = await tarOf([{ name: 'app/node_modules/.wh.left-pad' }]);
    const detectors = createLanguageDetectors();
    const fs = await readFilesystem([layerOf(gzipOf(base)), layerOf(gzipOf(upper))], detectors);
    const results = await Promise.all(detectors.map((detector) => detector.detect({ fs })));
    expect(results.flatMap((r) => r.notices ?? [])).toEqual([]);
    expect(results.flatMap((r) => r.packages.map((p) => p.purl))).toEqual([
      'pkg:npm/express@4.18.2',
      'pkg:pypi/urllib3@2.8.0',
      'pkg:golang/stdlib@v1.21.3',
      'pkg:golang/github.com/acme/tool@v1.2.0',
      'pkg:golang/golang.org/x/net@v0.17.0',
      'pkg:maven/com.example/demo@1.0.0',
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      'pkg:gem/rack@2.2.8',
    ]);
  });

  it('reads its own result when several detectors probed one file', async () => {
    const go = createGoBinaryDetector();
    const java = createJavaDetector();
    const probes = new Map<FileSelector, unknown>([
      [java, { kind: 'java-archive', artifacts: [], problems: [] }],
      [go, { kind: 'go-buildinfo', format: 'elf', goVersion: 'go1.22.0', modinfo: '' }],
    ]);
    const fs = new MemoryCapturedFilesystem({
      files: [{ path: '/opt/app.jar', size: 10, mode: 0o755, layer: 0, probes }],
    });
    expect((await go.detect({ fs })).packages.map((p) => p.purl)).toEqual(['pkg:golang/stdlib@v1.22.0']);
    expect((await java.detect({ fs })).packages).toEqual([]);
  });
});
