import { describe, expect, it } from 'vitest';
import { captureFilesystem } from '../../testing/captured-fs.js';
import {
  DESCRIPTION_BODY,
  REQUESTS_2_34_2_METADATA,
  SIX_1_16_0_PKG_INFO,
  URLLIB3_2_8_0_METADATA,
} from '../testing/python-metadata.js';
import { normalizePythonName, parseCoreMetadata, pythonLicenses } from './core-metadata.js';
import { createPythonDetector } from './python-detector.js';

const SITE = '/usr/local/lib/python3.12/site-packages';
const DIST = '/usr/lib/python3/dist-packages';

async function detect(files: Record<string, string>) {
  const detector = createPythonDetector();
  const fs = await captureFilesystem({ files }, [detector]);
  return detector.detect({ fs });
}

describe('python detector', () => {
  it('inventories wheels, egg-info directories and egg-info files with licences', async () => {
    const result = await detect({
      [`${SITE}/requests-2.34.2.dist-info/METADATA`]: REQUESTS_2_34_2_METADATA + DESCRIPTION_BODY,
      [`${SITE}/urllib3-2.8.0.dist-info/METADATA`]: URLLIB3_2_8_0_METADATA + DESCRIPTION_BODY,
      [`${DIST}/six-1.16.0.egg-info/PKG-INFO`]: SIX_1_16_0_PKG_INFO,
      [`${DIST}/Zope.Interface-5.5.2.egg-info`]:
        'Metadata-Version: 1.1\nName: Zope.Interface\nVersion: 5.5.2\nLicense: ZPL 2.1\n',
      [`${SITE}/legacy-1.0-py3.12.egg/EGG-INFO/PKG-INFO`]:
        'Metadata-Version: 1.0\nName: legacy\nVersion: 1.0\nLicense: UNKNOWN\n',
    });
    expect(result.notices).toEqual([]);
    expect(result.packages.map((p) => [p.name, p.version, p.purl, p.licenses])).toEqual([
      ['requests', '2.34.2', 'pkg:pypi/requests@2.34.2', ['Apache-2.0']],
      ['urllib3', '2.8.0', 'pkg:pypi/urllib3@2.8.0', ['MIT']],
      ['six', '1.16.0', 'pkg:pypi/six@1.16.0', ['MIT']],
      ['Zope.Interface', '5.5.2', 'pkg:pypi/zope-interface@5.5.2', ['ZPL 2.1']],
      ['legacy', '1.0', 'pkg:pypi/legacy@1.0', undefined],
    ]);
    expect(result.packages[0]).toEqual({
      type: 'pypi',
      name: 'requests',
      version: '2.34.2',
      purl: 'pkg:pypi/requests@2.34.2',
      licenses: ['Apache-2.0'],
      locations: [`${SITE}/requests-2.34.2.dist-info/METADATA`],
    });
  });

  it('ignores metadata that is not an installation: outside site-packages, or nested in a package', async () => {
    const result = await detect({
      '/src/app/requests-2.34.2.dist-info/METADATA': REQUESTS_2_34_2_METADATA,
      [`${SITE}/pip/_vendor/tests/fake-1.0.dist-info/METADATA`]: 'Name: fake\nVersion: 1.0\n',
      [`${SITE}/requests-2.34.2.dist-info/RECORD`]: 'requests/__init__.py,,\n',
    });
    expect(result.packages).toEqual([]);
  });

  it('merges one distribution installed in two environments', async () => {
    const result = await detect({
      [`${SITE}/six-1.16.0.dist-info/METADATA`]: SIX_1_16_0_PKG_INFO,
      [`/opt/venv/lib/python3.12/site-packages/six-1.16.0.dist-info/METADATA`]: SIX_1_16_0_PKG_INFO,
    });
    expect(result.packages).toHaveLength(1);
    expect(result.packages[0]?.locations).toHaveLength(2);
  });

  it('skips metadata without Name or Version, saying which', async () => {
    const result = await detect({
      [`${SITE}/odd-1.0.dist-info/METADATA`]: 'Metadata-Version: 2.1\nName: odd\n',
    });
    expect(result.packages).toEqual([]);
    expect(result.notices).toEqual([
      expect.objectContaining({
        code: 'SCAN_LANG_MANIFEST_INVALID',
        path: `${SITE}/odd-1.0.dist-info/METADATA`,
      }),
    ]);
    expect(result.notices?.[0]?.message).toMatch(/has no Version header/);
  });
});

describe('parseCoreMetadata', () => {
  it('reads repeated headers, folded lines, and stops at the body', () => {
    const metadata = parseCoreMetadata(
      'Name: x\r\nLicense: Copyright (c) 2020\r\n        Permission is hereby granted\r\nClassifier: A\r\nClassifier: B\r\n\r\nName: body\r\n',
    );
    expect(metadata.get('name')).toEqual(['x']);
    expect(metadata.get('license')).toEqual(['Copyright (c) 2020\nPermission is hereby granted']);
    expect(metadata.get('classifier')).toEqual(['A', 'B']);
  });
});

describe('pythonLicenses', () => {
  const licensesOf = (text: string) => pythonLicenses(parseCoreMetadata(text));

  it('prefers License-Expression, then a License name, then licence classifiers', () => {
    expect(licensesOf('License-Expression: MIT OR Apache-2.0\nLicense: BSD\n')).toEqual([
      'MIT OR Apache-2.0',
    ]);
    expect(licensesOf('License: BSD\nClassifier: License :: OSI Approved :: MIT License\n')).toEqual(['BSD']);
    expect(
      licensesOf(
        'License: UNKNOWN\nClassifier: License :: OSI Approved :: MIT License\nClassifier: License :: OSI Approved\nClassifier: License :: OSI Approved :: Apache Software License\n',
      ),
    ).toEqual(['MIT License', 'Apache Software License']);
  });

  it('does not take licence text for a licence name', () => {
    const text =
      'License: Copyright (c) 2004 The Authors\n  Permission is hereby granted, free of charge\nClassifier: License :: OSI Approved :: MIT License\n';
    expect(licensesOf(text)).toEqual(['MIT License']);
    expect(licensesOf(`License: ${'x'.repeat(200)}\n`)).toEqual([]);
  });
});

describe('normalizePythonName', () => {
  it.each([
    ['Django', 'django'],
    ['zope.interface', 'zope-interface'],
    ['ruamel.yaml.clib', 'ruamel-yaml-clib'],
    ['typing_extensions', 'typing-extensions'],
    ['A__b--C..d', 'a-b-c-d'],
  ])('%s → %s', (name, expected) => {
    expect(normalizePythonName(name)).toBe(expected);
  });
});
