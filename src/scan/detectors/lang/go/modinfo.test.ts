import { describe, expect, it } from 'vitest';
import { parseModinfo, stripModinfoFraming, unquoteGo } from './modinfo.js';

describe('parseModinfo', () => {
  it('reads path, main module, dependencies, replacements and build settings', () => {
    const text = [
      'path\tgithub.com/prometheus/prometheus/cmd/prometheus',
      'mod\tgithub.com/prometheus/prometheus\tv0.48.0\th1:main=',
      'dep\tgithub.com/gogo/protobuf\tv1.3.2\th1:gogo=',
      'dep\tk8s.io/klog\tv1.0.0',
      '=>\tk8s.io/klog/v2\tv2.100.1\th1:klog=',
      'dep\texample.com/local\tv0.0.0-00010101000000-000000000000',
      '=>\t../local\t(devel)\t',
      'build\t-buildmode=exe',
      'build\t-ldflags="-s -w -X main.version=2.48.0"',
      'build\tvcs.revision=63894216648f0d6be310c9d16fb48293c45c9310',
      '',
    ].join('\n');
    const { info, skipped } = parseModinfo('go1.21.4', text);
    expect(skipped).toBe(0);
    expect(info.goVersion).toBe('go1.21.4');
    expect(info.path).toBe('github.com/prometheus/prometheus/cmd/prometheus');
    expect(info.main).toEqual({
      path: 'github.com/prometheus/prometheus',
      version: 'v0.48.0',
      sum: 'h1:main=',
    });
    expect(info.deps).toEqual([
      { path: 'github.com/gogo/protobuf', version: 'v1.3.2', sum: 'h1:gogo=' },
      {
        path: 'k8s.io/klog',
        version: 'v1.0.0',
        replace: { path: 'k8s.io/klog/v2', version: 'v2.100.1', sum: 'h1:klog=' },
      },
      {
        path: 'example.com/local',
        version: 'v0.0.0-00010101000000-000000000000',
        replace: { path: '../local', version: '(devel)' },
      },
    ]);
    expect(info.settings.get('-ldflags')).toBe('-s -w -X main.version=2.48.0');
    expect(info.settings.get('vcs.revision')).toBe('63894216648f0d6be310c9d16fb48293c45c9310');
  });

  it('skips malformed lines and keeps the rest', () => {
    const text =
      'dep\tonly-one-column\ndep\tgood/mod\tv1.0.0\n=>\torphan\tv1\t\nbuild\tno-equals\nnonsense\n';
    const { info, skipped } = parseModinfo('go1.20', `mod\tm\tv1.0.0\t\n${text}`);
    expect(info.deps).toEqual([
      { path: 'good/mod', version: 'v1.0.0', replace: { path: 'orphan', version: 'v1' } },
    ]);
    expect(skipped).toBe(3);
  });

  it('does not attach a replacement to a module that already had one', () => {
    const text = 'dep\ta\tv1.0.0\n=>\tb\tv2.0.0\t\n=>\tc\tv3.0.0\t\n';
    const { info, skipped } = parseModinfo('go1.20', text);
    expect(info.deps).toEqual([{ path: 'a', version: 'v1.0.0', replace: { path: 'b', version: 'v2.0.0' } }]);
    expect(skipped).toBe(1);
  });

  it('reads quoted keys and values', () => {
    const { info } = parseModinfo('go1.22.0', 'build\t"we ird"="a\\tb"\nbuild\tk=`raw value`\n');
    expect([...info.settings]).toEqual([
      ['we ird', 'a\tb'],
      ['k', 'raw value'],
    ]);
  });
});

describe('stripModinfoFraming', () => {
  it('removes 16-byte sentinels around newline-terminated info and drops unframed info', () => {
    const sentinel = Buffer.alloc(16, 0xaa);
    const framed = Buffer.concat([sentinel, Buffer.from('path\tx\n'), sentinel]);
    expect(stripModinfoFraming(framed).toString()).toBe('path\tx\n');
    expect(stripModinfoFraming(Buffer.from('path\tx\n')).length).toBe(0);
  });
});

describe('unquoteGo', () => {
  it.each([
    ['"plain"', 'plain'],
    ['"a\\"b\\\\c"', 'a"b\\c'],
    ['"\\x41\\u00e9\\U0001F600\\101"', 'Aé😀A'],
    ['`raw \\n`', 'raw \\n'],
  ])('%s → %j', (quoted, expected) => {
    expect(unquoteGo(quoted)).toBe(expected);
  });

  it.each(['"unterminated', '"bad \\q escape"', '"inner " quote"', '`a`b`', "'x'"])(
    'rejects %s',
    (quoted) => {
      expect(unquoteGo(quoted)).toBeUndefined();
    },
  );
});
