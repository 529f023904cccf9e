import { describe, expect, it } from 'vitest';
import { captureFilesystem } from '../../testing/captured-fs.js';
import { createNpmDetector } from './npm-detector.js';
import { npmLicenses } from './npm-manifest.js';

const json = (value: unknown) => JSON.stringify(value, null, 2);

async function detect(files: Record<string, string>) {
  const detector = createNpmDetector();
  const fs = await captureFilesystem({ files }, [detector]);
  return detector.detect({ fs });
}

describe('npm detector', () => {
  it('inventories an installed tree: nested, scoped, global and pnpm packages', async () => {
    const result = await detect({
      '/app/package.json': json({ name: 'my-app', version: '1.0.0', dependencies: { express: '^4.18.2' } }),
      '/app/node_modules/express/package.json': json({ name: 'express', version: '4.18.2', license: 'MIT' }),
      '/app/node_modules/express/node_modules/debug/package.json': json({
        name: 'debug',
        version: '2.6.9',
        license: 'MIT',
      }),
      '/app/node_modules/debug/package.json': json({ name: 'debug', version: '4.3.4', license: 'MIT' }),
      '/app/node_modules/@babel/core/package.json': json({
        name: '@babel/core',
        version: '7.23.0',
        license: 'MIT',
      }),
      '/app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json': json({
        name: 'ms',
        version: '2.1.3',
        license: 'MIT',
      }),
      '/usr/local/lib/node_modules/npm/package.json': json({
        name: 'npm',
        version: '10.2.4',
        license: 'Artistic-2.0',
      }),
      '/app/node_modules/express/lib/package.json': json({ name: 'not-a-package', version: '0.0.0' }),
      '/app/node_modules/.bin/package.json': json({ name: 'junk', version: '0.0.0' }),
      '/app/node_modules/debug/package.json.bak': json({ name: 'backup', version: '0.0.0' }),
    });
    expect(result.notices).toEqual([]);
    expect(result.packages.map((p) => [p.purl, p.locations, p.licenses])).toEqual([
      ['pkg:npm/express@4.18.2', ['/app/node_modules/express/package.json'], ['MIT']],
      ['pkg:npm/debug@2.6.9', ['/app/node_modules/express/node_modules/debug/package.json'], ['MIT']],
      ['pkg:npm/debug@4.3.4', ['/app/node_modules/debug/package.json'], ['MIT']],
      ['pkg:npm/%40babel/core@7.23.0', ['/app/node_modules/@babel/core/package.json'], ['MIT']],
      ['pkg:npm/ms@2.1.3', ['/app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json'], ['MIT']],
      ['pkg:npm/npm@10.2.4', ['/usr/local/lib/node_modules/npm/package.json'], ['Artistic-2.0']],
    ]);
    expect(result.packages[3]).toMatchObject({ type: 'npm', name: '@babel/core', version: '7.23.0' });
  });

  it('reports one package with every location when the same release is installed twice', async () => {
    const manifest = json({ name: 'lodash', version: '4.17.21', license: 'MIT' });
    const result = await detect({
      '/a/node_modules/lodash/package.json': manifest,
      '/b/node_modules/lodash/package.json': manifest,
    });
    expect(result.packages).toEqual([
      {
        type: 'npm',
        name: 'lodash',
        version: '4.17.21',
        purl: 'pkg:npm/lodash@4.17.21',
        licenses: ['MIT'],
        locations: ['/a/node_modules/lodash/package.json', '/b/node_modules/lodash/package.json'],
      },
    ]);
  });

  it('reports the real package of an aliased install (npm i alias@npm:real)', async () => {
    const result = await detect({
      '/app/node_modules/alias/package.json': json({ name: 'real', version: '1.0.0' }),
    });
    expect(result.packages.map((p) => p.purl)).toEqual(['pkg:npm/real@1.0.0']);
  });

  it('skips unreadable manifests with a notice naming the file and the problem', async () => {
    const result = await detect({
      '/app/node_modules/broken/package.json': '{ "name": "broken", ',
      '/app/node_modules/noversion/package.json': json({ name: 'noversion' }),
      '/app/node_modules/ok/package.json': '\uFEFF' + json({ name: 'ok', version: '1.0.0' }),
    });
    expect(result.packages.map((p) => p.purl)).toEqual(['pkg:npm/ok@1.0.0']);
    expect(result.notices).toHaveLength(2);
    expect(result.notices?.[0]).toMatchObject({
      code: 'SCAN_LANG_MANIFEST_INVALID',
      path: '/app/node_modules/broken/package.json',
    });
    expect(result.notices?.[0]?.message).toMatch(/is not valid JSON/);
    expect(result.notices?.[1]?.message).toMatch(/has no "version" \(package noversion\)/);
  });

  it('leaves manifests over the cap to the reader, which says so', async () => {
    const detector = createNpmDetector();
    const big = json({ name: 'big', version: '1.0.0', padding: 'x'.repeat(1024 * 1024) });
    const fs = await captureFilesystem({ files: { '/app/node_modules/big/package.json': big } }, [detector]);
    expect(fs.notices.map((n) => n.code)).toEqual(['SCAN_FILE_TOO_LARGE']);
    expect(detector.detect({ fs })).toEqual({ packages: [], notices: [] });
  });
});

describe('npmLicenses', () => {
  it.each([
    [{ license: 'MIT' }, ['MIT']],
    [{ license: '(MIT OR Apache-2.0)' }, ['(MIT OR Apache-2.0)']],
    [{ license: { type: 'ISC', url: 'https://opensource.org/licenses/ISC' } }, ['ISC']],
    [
      {
        licenses: [
          { type: 'MIT', url: 'x' },
          { type: 'GPL-2.0', url: 'y' },
        ],
      },
      ['MIT', 'GPL-2.0'],
    ],
    [{ license: 'SEE LICENSE IN LICENSE.md' }, ['SEE LICENSE IN LICENSE.md']],
    [{ license: ['BSD-3-Clause', 'BSD-3-Clause'] }, ['BSD-3-Clause']],
    [{ license: '  ' }, []],
    [{ license: 42 }, []],
    [{}, []],
  ])('%j → %j', (fields, expected) => {
    expect(npmLicenses(fields)).toEqual(expected);
  });
});
