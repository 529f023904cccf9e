import { describe, expect, it } from 'vitest';
import { formatRateLimit } from './copy-report.js';
import { formatBytes, formatDuration, plural, shortDigest } from './format.js';

describe('formatting for people', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [3 * 1024 * 1024, '3.0 MiB'],
    [200 * 1024 * 1024, '200 MiB'],
  ])('%d bytes read %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it.each([
    [250, '250 ms'],
    [1500, '1.5 s'],
    [61_000, '1 min 1 s'],
    [21_600_000, '6 h'],
    [5_400_000, '1 h 30 min'],
  ])('%d ms read %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('shortens digests and counts', () => {
    expect(shortDigest(`sha256:${'ab'.repeat(32)}`)).toBe('sha256:abababababab');
    expect(plural(1, 'image')).toBe('1 image');
    expect(plural(2, 'image')).toBe('2 images');
  });

  it("states Docker Hub's quota the way it was reported", () => {
    expect(
      formatRateLimit('docker.io', {
        limit: 100,
        remaining: 76,
        windowSeconds: 21600,
        source: '203.0.113.7',
      }),
    ).toBe('docker.io pull quota: 76 of 100 left per 6 h (counted for 203.0.113.7)');
  });
});
