import { describe, expect, it } from 'vitest';
import { validateCycloneDx16, withField } from '../../../test/fixtures/sbom-schemas.js';
import type { CycloneDxBom, CycloneDxComponent } from './cyclonedx-model.js';
import { writeCycloneDx } from './cyclonedx-writer.js';
import { encodeSbom } from './sbom-document.js';
import { SAMPLE_MANIFEST_DIGEST, sampleInventory } from './testing/sample-inventory.js';
import type { WriteSbomOptions } from './types.js';

const OPTIONS: WriteSbomOptions = {
  toolVersion: '0.1.0',
  image: { repository: 'docker.io/library/debian', tag: '12' },
  created: new Date('2025-03-01T12:34:56.789Z'),
  uuid: '0f6bd6f2-5c8e-4f52-9a5d-1f4c0c1f2e3a',
};

function componentNamed(bom: CycloneDxBom, name: string): CycloneDxComponent[] {
  return bom.components.filter((c) => c.name === name);
}

describe('writeCycloneDx', () => {
  const bom = writeCycloneDx(sampleInventory(), OPTIONS);

  it('writes a document valid against the CycloneDX 1.6 JSON schema', () => {
    const result = validateCycloneDx16(JSON.parse(encodeSbom(bom)));
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('is checked by a live validator: breaking required fields or enumerations fails it', () => {
    const json = JSON.parse(encodeSbom(bom)) as unknown;
    const valid = (path: (string | number)[], value: unknown) =>
      validateCycloneDx16(withField(json, path, value)).valid;
    expect(valid(['bomFormat'], 'CycloneDX')).toBe(true);
    expect(valid(['bomFormat'], undefined)).toBe(false);
    expect(valid(['components', 1, 'name'], undefined)).toBe(false);
    expect(valid(['components', 1, 'type'], 'lib')).toBe(false);
    expect(valid(['components', 1, 'licenses'], [{ license: { id: 'GPL-2+' } }])).toBe(false);
    expect(valid(['components', 1, 'licenses'], [{ license: { name: 'GPL-2+' } }])).toBe(true);
    expect(valid(['serialNumber'], 'urn:uuid:not-a-uuid')).toBe(false);
    expect(
      valid(['components', 1, 'licenses'], [{ expression: 'MIT OR ISC' }, { license: { id: 'MIT' } }]),
    ).toBe(false);
  });

  it('describes the image as the container component with an oci purl', () => {
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.specVersion).toBe('1.6');
    expect(bom.serialNumber).toBe(`urn:uuid:${OPTIONS.uuid}`);
    expect(bom.metadata.timestamp).toBe('2025-03-01T12:34:56Z');
    expect(bom.metadata.tools.components).toEqual([
      { type: 'application', name: 'airlock', version: '0.1.0' },
    ]);
    const image = bom.metadata.component;
    expect(image).toMatchObject({
      type: 'container',
      name: 'docker.io/library/debian',
      version: SAMPLE_MANIFEST_DIGEST,
    });
    const query = new URLSearchParams(image.purl!.split('?')[1]);
    expect(image.purl!.startsWith(`pkg:oci/debian@${SAMPLE_MANIFEST_DIGEST}?`)).toBe(true);
    expect(Object.fromEntries(query)).toEqual({
      arch: 'amd64',
      repository_url: 'docker.io/library/debian',
      tag: '12',
    });
    expect(image.properties).toEqual([{ name: 'airlock:image:platform', value: 'linux/amd64' }]);
  });

  it('lists the operating system as an operating-system component', () => {
    const [os] = bom.components.filter((c) => c.type === 'operating-system');
    expect(os).toEqual({
      'bom-ref': 'os:debian@12',
      type: 'operating-system',
      name: 'debian',
      version: '12',
      description: 'Debian GNU/Linux 12 (bookworm)',
      properties: [{ name: 'airlock:os:version-codename', value: 'bookworm' }],
    });
  });

  it('writes each package as a library with purl, locations as evidence, and source as properties', () => {
    const [libc] = componentNamed(bom, 'libc6');
    expect(libc).toMatchObject({ type: 'library', version: '2.36-9+deb12u7' });
    expect(libc!.purl).toContain('upstream=glibc');
    expect(libc!.evidence).toEqual({ occurrences: [{ location: '/var/lib/dpkg/status' }] });
    expect(libc!.properties).toEqual([
      { name: 'airlock:package:source-name', value: 'glibc' },
      { name: 'airlock:package:architecture', value: 'amd64' },
    ]);
    const [testify] = componentNamed(bom, 'github.com/stretchr/testify');
    expect(testify!.properties).toEqual([{ name: 'airlock:package:found-in', value: '/usr/local/bin/app' }]);
  });

  it('places licences where CycloneDX wants them: ids, names, or a single expression', () => {
    const licenses = (name: string) => componentNamed(bom, name)[0]!.licenses;
    expect(licenses('libc6')).toEqual([
      { license: { id: 'LGPL-2.1-or-later' } },
      { license: { id: 'GPL-2.0-or-later' } },
    ]);
    expect(licenses('cryptography')).toEqual([{ expression: 'Apache-2.0 OR BSD-3-Clause' }]);
    expect(licenses('org.apache.commons:commons-lang3')).toEqual([
      { license: { name: 'Apache License, Version 2.0' } },
    ]);
    expect(licenses('gcc-12-base')).toEqual([
      { license: { name: 'GPL-3+' } },
      { license: { name: 'GFDL-1.2+' } },
    ]);
    expect(licenses('rake')).toEqual([
      { license: { name: 'GPL-2+' } },
      { license: { name: 'MIT OR Apache-2.0' } },
    ]);
    expect(licenses('base-files')).toBeUndefined();
  });

  it('joins several licences with an expression among them into one expression', () => {
    const inventory = sampleInventory();
    inventory.packages = [{ ...inventory.packages[0]!, licenses: ['MIT', 'Apache-2.0 OR ISC'] }];
    const [component] = writeCycloneDx(inventory, OPTIONS).components.filter((c) => c.type === 'library');
    expect(component!.licenses).toEqual([{ expression: 'MIT AND (Apache-2.0 OR ISC)' }]);
  });

  it('gives every component a unique bom-ref, also for the same package at two paths', () => {
    const refs = [bom.metadata.component, ...bom.components].map((c) => c['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
    expect(componentNamed(bom, 'lodash').map((c) => c['bom-ref'])).toEqual([
      'pkg:npm/lodash@4.17.21',
      'pkg:npm/lodash@4.17.21-2',
    ]);
  });

  it('is deterministic: package order and repeated runs do not change the bytes', () => {
    const shuffled = sampleInventory();
    shuffled.packages.reverse();
    expect(encodeSbom(writeCycloneDx(shuffled, OPTIONS))).toBe(encodeSbom(bom));
    const other = writeCycloneDx(sampleInventory(), {
      ...OPTIONS,
      uuid: '11111111-2222-4333-8444-555555555555',
    });
    const diff = encodeSbom(other)
      .split('\n')
      .filter((line, i) => line !== encodeSbom(bom).split('\n')[i]);
    expect(diff).toEqual(['  "serialNumber": "urn:uuid:11111111-2222-4333-8444-555555555555",']);
  });

  it('writes a valid document for an image with no OS and no packages, named by digest', () => {
    const empty = writeCycloneDx(
      { manifestDigest: SAMPLE_MANIFEST_DIGEST, packages: [], notices: [], source: 'layers' },
      { toolVersion: '0.1.0' },
    );
    expect(validateCycloneDx16(empty).errors).toEqual([]);
    expect(empty.metadata.component.name).toBe(SAMPLE_MANIFEST_DIGEST);
    expect(empty.serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
  });

  it('refuses an injected serial that is not a UUID', () => {
    expect(() => writeCycloneDx(sampleInventory(), { ...OPTIONS, uuid: 'abc' })).toThrow(
      expect.objectContaining({ code: 'USAGE_INVALID' }),
    );
  });
});
