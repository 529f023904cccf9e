import { describe, expect, it } from 'vitest';
import { goPackages, ldflagsVersion, toolchainSemver } from './go-packages.js';
import { parseModinfo } from './modinfo.js';

const BINARY = '/usr/local/bin/app';

function packagesOf(goVersion: string, text: string) {
  return goPackages(parseModinfo(goVersion, text).info, BINARY).map((p) => [p.name, p.version, p.purl]);
}

describe('goPackages', () => {
  it('reports stdlib, the main module and dependencies with golang purls', () => {
    const text =
      'path\tgithub.com/acme/tool\nmod\tgithub.com/acme/tool\tv1.2.0\th1:x=\ndep\tgolang.org/x/net\tv0.17.0\th1:y=\n';
    expect(packagesOf('go1.21.3', text)).toEqual([
      ['stdlib', 'v1.21.3', 'pkg:golang/stdlib@v1.21.3'],
      ['github.com/acme/tool', 'v1.2.0', 'pkg:golang/github.com/acme/tool@v1.2.0'],
      ['golang.org/x/net', 'v0.17.0', 'pkg:golang/golang.org/x/net@v0.17.0'],
    ]);
  });

  it('records where each package was found', () => {
    const [stdlib] = goPackages(parseModinfo('go1.21.3', '').info, BINARY);
    expect(stdlib).toEqual({
      type: 'golang',
      name: 'stdlib',
      version: 'v1.21.3',
      purl: 'pkg:golang/stdlib@v1.21.3',
      locations: [BINARY],
      foundIn: BINARY,
    });
  });

  it('reports a module replacement as the replacing module, a directory replacement as the original', () => {
    const text = [
      'mod\texample.com/app\t(devel)\t',
      'dep\tk8s.io/klog\tv1.0.0',
      '=>\tk8s.io/klog/v2\tv2.100.1\th1:x=',
      'dep\tgithub.com/forked/lib\tv1.4.2',
      '=>\t./third_party/lib\t(devel)\t',
      'dep\texample.com/local\tv0.0.0-00010101000000-000000000000',
      '=>\t../local\t(devel)\t',
      '',
    ].join('\n');
    expect(packagesOf('go1.22.1', text)).toEqual([
      ['stdlib', 'v1.22.1', 'pkg:golang/stdlib@v1.22.1'],
      ['example.com/app', '', 'pkg:golang/example.com/app'],
      ['k8s.io/klog/v2', 'v2.100.1', 'pkg:golang/k8s.io/klog/v2@v2.100.1'],
      ['github.com/forked/lib', 'v1.4.2', 'pkg:golang/github.com/forked/lib@v1.4.2'],
      ['example.com/local', '', 'pkg:golang/example.com/local'],
    ]);
  });

  it('takes a (devel) main module version from -ldflags -X when it is a semantic version', () => {
    const text =
      'mod\tgithub.com/acme/tool\t(devel)\t\nbuild\t-ldflags="-s -w -X github.com/acme/tool/internal/version.Version=v3.1.4"\n';
    expect(packagesOf('go1.21.0', text)[1]).toEqual([
      'github.com/acme/tool',
      'v3.1.4',
      'pkg:golang/github.com/acme/tool@v3.1.4',
    ]);
  });

  it('reports no stdlib for development toolchains', () => {
    expect(packagesOf('devel go1.23-abcdef Tue Jan 2 2024', '')).toEqual([]);
  });
});

describe('toolchainSemver', () => {
  it.each([
    ['go1.21.3', 'v1.21.3'],
    ['go1.19', 'v1.19.0'],
    ['go1.22rc1', 'v1.22.0-rc.1'],
    ['go1.18beta2', 'v1.18.0-beta.2'],
    ['go1.22.3 X:boringcrypto', 'v1.22.3'],
    ['go1.21.0-bigcorp', 'v1.21.0'],
    ['devel go1.23-abc', undefined],
    ['go1.x', undefined],
  ])('%s → %s', (input, expected) => {
    expect(toolchainSemver(input)).toBe(expected);
  });
});

describe('ldflagsVersion', () => {
  it.each([
    ['-X main.version=1.2.3', 'v1.2.3'],
    ['-X=main.Version=v2.0.0-rc.1', 'v2.0.0-rc.1'],
    ["-s -w -X 'github.com/x/y/pkg/version.ver=0.9.1'", 'v0.9.1'],
    ['-X main.commit=abc -X main.version=4.5.6', 'v4.5.6'],
    ['-X main.version=dev', undefined],
    ['-X main.buildDate=2024-01-01', undefined],
    ['-s -w', undefined],
  ])('%s → %s', (flags, expected) => {
    expect(ldflagsVersion(flags)).toBe(expected);
  });
});
