import { describe, expect, it } from 'vitest';
import type { EntryInfo } from '../../../layers/types.js';
import { MemoryCapturedFilesystem, captureFilesystem } from '../../testing/captured-fs.js';
import { buildGoElf } from '../testing/go-elf.js';
import { createGoBinaryDetector } from './go-binary-detector.js';

const MODINFO =
  'path\tgithub.com/acme/tool\nmod\tgithub.com/acme/tool\tv1.2.0\th1:x=\ndep\tgolang.org/x/net\tv0.17.0\th1:y=\n';

const entry = (path: string, mode: number, size = 4096): EntryInfo => ({ path, type: 'file', size, mode });

describe('go binary detector', () => {
  const detector = createGoBinaryDetector();

  it.each([
    ['an executable anywhere', entry('/opt/tool/tool', 0o755), true],
    ['a file in a bin directory without exec bits', entry('/usr/local/bin/tool', 0o644), true],
    ['a file in /usr/libexec', entry('/usr/libexec/helper', 0o644), true],
    ['a Windows executable', entry('/app/tool.exe', 0o644), true],
    ['a plain data file', entry('/etc/passwd', 0o644), false],
    ['an executable jar (read by the Java detector)', entry('/app/app.jar', 0o755), false],
    ['an executable script with an extension', entry('/usr/local/bin/entry.sh', 0o755), false],
    ['a tiny executable', entry('/bin/true', 0o755, 10), false],
  ])('probes %s: %s', (_name, info, expected) => {
    expect(detector.select(info)?.kind === 'probe').toBe(expected);
  });

  it('inventories each Go binary and warns about unreadable build info', async () => {
    const good = buildGoElf({ goVersion: 'go1.21.3', modinfo: MODINFO });
    const truncated = good.subarray(0, good.lastIndexOf(Buffer.from('golang.org/x/net')));
    const fs = await captureFilesystem(
      {
        files: {
          '/usr/local/bin/tool': { content: good, mode: 0o755 },
          '/usr/bin/copy': { content: good, mode: 0o755 },
          '/usr/bin/broken': { content: truncated, mode: 0o755 },
          '/usr/bin/script': {
            content: '#!/bin/sh\necho hello world, this is a shell script\n',
            mode: 0o755,
          },
        },
      },
      [detector],
    );
    const result = await detector.detect({ fs });
    expect(result.packages.map((p) => [p.purl, p.foundIn])).toEqual([
      ['pkg:golang/stdlib@v1.21.3', '/usr/local/bin/tool'],
      ['pkg:golang/github.com/acme/tool@v1.2.0', '/usr/local/bin/tool'],
      ['pkg:golang/golang.org/x/net@v0.17.0', '/usr/local/bin/tool'],
      ['pkg:golang/stdlib@v1.21.3', '/usr/bin/copy'],
      ['pkg:golang/github.com/acme/tool@v1.2.0', '/usr/bin/copy'],
      ['pkg:golang/golang.org/x/net@v0.17.0', '/usr/bin/copy'],
    ]);
    expect(result.notices).toEqual([
      {
        level: 'warning',
        code: 'SCAN_GO_BUILDINFO_UNREADABLE',
        path: '/usr/bin/broken',
        message:
          'Go executable /usr/bin/broken: the build info could not be read (module information is cut off by the end of the file); its modules are missing from the inventory',
      },
    ]);
  });

  it('ignores probe results of other detectors', async () => {
    const fs = new MemoryCapturedFilesystem({
      files: [{ path: '/bin/x', size: 1, mode: 0o755, layer: 0, probe: { kind: 'java-archive' } }],
    });
    expect(await detector.detect({ fs })).toEqual({ packages: [], notices: [] });
  });
});
