import { describe, expect, it } from 'vitest';
import { detectSbomFormat, parseSbomJson, readSbom } from './sbom-document.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('parseSbomJson', () => {
  it('reads either format from bytes, tolerating a byte-order mark', () => {
    const cdx = parseSbomJson(bytes('\uFEFF{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}'));
    expect(cdx).toMatchObject({ format: 'cyclonedx', specVersion: '1.5', packages: [] });
    const spdx = parseSbomJson(bytes('{"spdxVersion":"SPDX-2.3","packages":[]}'));
    expect(spdx).toMatchObject({ format: 'spdx', specVersion: '2.3' });
  });

  it('names the document and the problem when it cannot read it', () => {
    expect(() => parseSbomJson(Uint8Array.of(0x7b, 0xff, 0x7d), { source: 'sbom.json' })).toThrow(
      expect.objectContaining({ code: 'SCAN_SBOM_INVALID', message: 'sbom.json is not valid UTF-8' }),
    );
    expect(() => parseSbomJson(bytes('{"bomFormat": '), { source: 'sbom.json' })).toThrow(
      expect.objectContaining({
        code: 'SCAN_SBOM_INVALID',
        message: expect.stringMatching(/^sbom\.json is not valid JSON: /),
      }),
    );
    expect(() => parseSbomJson(bytes('{"name": "x"}'), { source: 'sbom.json' })).toThrow(
      expect.objectContaining({
        code: 'SCAN_SBOM_UNSUPPORTED',
        message: expect.stringContaining('sbom.json is neither CycloneDX JSON'),
      }),
    );
  });
});

describe('detectSbomFormat', () => {
  it('looks at the fields that name each format', () => {
    expect(detectSbomFormat({ bomFormat: 'CycloneDX' })).toBe('cyclonedx');
    expect(detectSbomFormat({ spdxVersion: 'SPDX-2.2' })).toBe('spdx');
    expect(detectSbomFormat({ bomFormat: 'other' })).toBeUndefined();
    expect(detectSbomFormat('CycloneDX')).toBeUndefined();
    expect(() => readSbom(null)).toThrow(expect.objectContaining({ code: 'SCAN_SBOM_UNSUPPORTED' }));
  });
});
