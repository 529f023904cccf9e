import { describe, expect, it } from 'vitest';
import type { Package } from '../inventory/types.js';
import { writeCycloneDx } from './cyclonedx-writer.js';
import { sortPackages } from './document-basics.js';
import { completePurl } from './package-purl.js';
import { encodeSbom, parseSbomJson } from './sbom-document.js';
import { writeSpdx } from './spdx-writer.js';
import { sampleInventory } from './testing/sample-inventory.js';

const OPTIONS = { toolVersion: '0.1.0', image: { repository: 'docker.io/library/debian' } };

/** What a written package reads back as: the purl carries arch and upstream (see completePurl). */
function expected(packages: Package[]): Package[] {
  return sortPackages(packages).map((pkg) => ({ ...pkg, purl: completePurl(pkg) }));
}

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

describe('SBOM round trip', () => {
  it('CycloneDX: write → read gives the same packages and OS', () => {
    const inventory = sampleInventory();
    const read = parseSbomJson(bytesOf(encodeSbom(writeCycloneDx(inventory, OPTIONS))));
    expect(read.format).toBe('cyclonedx');
    expect(read.specVersion).toBe('1.6');
    expect(read.tools).toEqual(['airlock-0.1.0']);
    expect(read.notices).toEqual([]);
    expect(read.packages).toEqual(expected(inventory.packages));
    expect(read.os).toEqual(inventory.os);
    expect(read.describes).toMatchObject({
      name: 'docker.io/library/debian',
      version: inventory.manifestDigest,
    });
  });

  it('SPDX: write → read gives the same packages, except where a binary was found (no SPDX 2.3 field for it)', () => {
    const inventory = sampleInventory();
    const read = parseSbomJson(bytesOf(encodeSbom(writeSpdx(inventory, OPTIONS))));
    expect(read.format).toBe('spdx');
    expect(read.specVersion).toBe('2.3');
    expect(read.tools).toEqual(['airlock-0.1.0']);
    expect(read.notices).toEqual([]);
    const withoutFoundIn = expected(inventory.packages).map(({ foundIn: _, ...rest }) => rest);
    expect(read.packages).toEqual(withoutFoundIn);
    expect(read.os).toEqual({
      id: 'debian',
      versionId: '12',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
      idLike: [],
    });
  });

  it('keeps the inventory when it passes through both formats in turn', () => {
    const inventory = sampleInventory();
    inventory.packages = inventory.packages.map(({ foundIn: _, ...rest }) => rest);
    const fromCdx = parseSbomJson(bytesOf(encodeSbom(writeCycloneDx(inventory, OPTIONS))));
    const again = { ...inventory, packages: fromCdx.packages, os: fromCdx.os };
    const fromSpdx = parseSbomJson(bytesOf(encodeSbom(writeSpdx(again, OPTIONS))));
    expect(fromSpdx.packages).toEqual(expected(inventory.packages));
  });
});
