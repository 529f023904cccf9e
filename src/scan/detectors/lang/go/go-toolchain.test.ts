import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFilesystem } from '../../testing/captured-fs.js';
import { buildGoElf } from '../testing/go-elf.js';
import { buildGoMachO, buildGoPe } from '../testing/go-pe-macho.js';
import { probeGoBuildInfo } from './buildinfo-probe.js';
import { createGoBinaryDetector } from './go-binary-detector.js';

/**
 * Builds a real program with the local Go toolchain and reads it back: the strongest check
 * that the probe reads what the linker writes. CI installs Go (`golang-go`) and fails the
 * suite without it; elsewhere the suite is skipped, saying so, when `go` is not on the PATH.
 * Dependencies come from a vendor directory so the build needs no network.
 */
const run = promisify(execFile);
const goVersion = await run('go', ['env', 'GOVERSION'], { timeout: 30_000 }).then(
  (r) => r.stdout.trim(),
  () => undefined,
);
const goRequired = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
if (!goVersion && !goRequired)
  console.warn(
    'go-toolchain tests skipped: no `go` on the PATH to build a real Go binary with (apt-get install golang-go)',
  );

const SOURCES: Record<string, string> = {
  'go.mod':
    'module example.com/app\n\ngo 1.18\n\nrequire (\n\texample.com/lib v1.2.3\n\texample.com/old v0.1.0\n)\n\nreplace example.com/old => example.com/new v1.0.0\n',
  'vendor/modules.txt': [
    '# example.com/lib v1.2.3',
    '## explicit; go 1.18',
    'example.com/lib',
    '# example.com/old v0.1.0 => example.com/new v1.0.0',
    '## explicit; go 1.18',
    'example.com/old',
    '# example.com/old => example.com/new v1.0.0',
    '',
  ].join('\n'),
  'vendor/example.com/lib/lib.go': 'package lib\n\nfunc Hello() string { return "hello" }\n',
  'vendor/example.com/old/old.go': 'package old\n\nfunc Name() string { return "old" }\n',
  'main.go':
    'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/lib"\n\t"example.com/old"\n)\n\nvar version = "dev"\n\nfunc main() { fmt.Println(lib.Hello(), old.Name(), version) }\n',
};

const OUTPUTS: Record<string, string> = { linux: 'app', windows: 'app.exe', darwin: 'app-darwin' };

describe.skipIf(!goVersion && !goRequired)('Go binaries built by the local toolchain', () => {
  let dir: string;
  const binaries = new Map<string, Buffer>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'airlock-go-'));
    for (const [path, text] of Object.entries(SOURCES)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    await Promise.all(
      Object.entries(OUTPUTS).map(async ([goos, name]) => {
        await goBuild(dir, goos, name);
        binaries.set(goos, await readFile(join(dir, name)));
      }),
    );
  }, 180_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(['linux', 'windows', 'darwin'])(
    'reads the same build info as `go version -m` (%s)',
    async (goos) => {
      const { stdout } = await run('go', ['version', '-m', join(dir, OUTPUTS[goos]!)], { timeout: 30_000 });
      const expected = stdout
        .split('\n')
        .slice(1)
        .map((line) => line.replace(/^\t/, ''))
        .filter((line) => line !== '');
      const result = await probeGoBuildInfo(chunks(binaries.get(goos)!));
      expect(result).toMatchObject({
        kind: 'go-buildinfo',
        format: goos === 'linux' ? 'elf' : goos === 'windows' ? 'pe' : 'macho',
      });
      if (result?.kind !== 'go-buildinfo') return;
      expect(result.goVersion).toBe(goVersion);
      expect(result.modinfo.split('\n').filter((line) => line !== '')).toEqual(expected);
    },
  );

  it('agrees with the fixture builders: `go version -m` reads what they write', async () => {
    const modinfo =
      'path\texample.com/fx\nmod\texample.com/fx\tv1.0.0\th1:x=\ndep\tgolang.org/x/net\tv0.17.0\th1:y=\n';
    const fixtures: Record<string, Buffer> = {
      'inline-64le': buildGoElf({ goVersion: 'go1.21.3', modinfo }),
      'inline-32be': buildGoElf({ goVersion: 'go1.21.3', modinfo, elfClass: 32, bigEndian: true }),
      'pointers-64le': buildGoElf({ goVersion: 'go1.21.3', modinfo, layout: 'pointers' }),
      'pointers-32be': buildGoElf({
        goVersion: 'go1.21.3',
        modinfo,
        layout: 'pointers',
        elfClass: 32,
        bigEndian: true,
      }),
      'fixture.exe': buildGoPe('go1.21.3', modinfo),
      'fixture-macho': buildGoMachO('go1.21.3', modinfo),
    };
    for (const [name, bytes] of Object.entries(fixtures)) {
      await writeFile(join(dir, name), bytes, { mode: 0o755 });
      const { stdout } = await run('go', ['version', '-m', join(dir, name)], { timeout: 30_000 });
      expect(stdout, name).toBe(
        `${join(dir, name)}: go1.21.3\n${modinfo.replace(/^/gm, '\t').replace(/\t$/, '')}`,
      );
    }
  });

  it('inventories stdlib, the main module (version from -ldflags) and the vendored modules', async () => {
    const fs = await captureFilesystem(
      { files: { '/usr/local/bin/app': { content: binaries.get('linux')!, mode: 0o755 } } },
      [createGoBinaryDetector()],
    );
    const result = await createGoBinaryDetector().detect({ fs });
    const stdlib = `v${goVersion!.slice(2)}`.replace(/^(v\d+\.\d+)$/, '$1.0');
    expect(result.packages.map((p) => p.purl)).toEqual([
      `pkg:golang/stdlib@${stdlib}`,
      'pkg:golang/example.com/app@v1.5.0',
      'pkg:golang/example.com/lib@v1.2.3',
      'pkg:golang/example.com/new@v1.0.0',
    ]);
    expect(result.packages.every((p) => p.foundIn === '/usr/local/bin/app')).toBe(true);
    expect(result.notices).toEqual([]);
  });
});

async function goBuild(dir: string, goos: string, output: string): Promise<void> {
  const env = {
    ...process.env,
    GOOS: goos,
    GOARCH: 'amd64',
    CGO_ENABLED: '0',
    GOFLAGS: '-mod=vendor',
    GOPROXY: 'off',
    GOWORK: 'off',
    GOTOOLCHAIN: 'local',
    // Go needs a build cache and a GOPATH even for a vendored build; CI may run without HOME.
    GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'airlock-test-go-cache'),
    GOPATH: process.env.GOPATH ?? join(tmpdir(), 'airlock-test-gopath'),
  };
  await run('go', ['build', '-ldflags', '-X main.version=1.5.0', '-o', output, '.'], {
    cwd: dir,
    env,
    timeout: 170_000,
  });
}

async function* chunks(bytes: Buffer): AsyncIterable<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += 65536) yield bytes.subarray(offset, offset + 65536);
}
