import { describe, expect, it } from 'vitest';
import {
  API_TOKEN_PREFIX,
  generateApiToken,
  hashApiToken,
  isApiTokenFormat,
  randomBase62,
} from './token-secret.js';

describe('API token secrets', () => {
  it('are airlock_ + 49 base62 characters and pass their own checksum', () => {
    const token = generateApiToken();
    expect(token).toMatch(/^airlock_[0-9A-Za-z]{49}$/);
    expect(isApiTokenFormat(token)).toBe(true);
  });

  it('are different every time', () => {
    const tokens = new Set(Array.from({ length: 200 }, generateApiToken));
    expect(tokens.size).toBe(200);
  });

  it('reject a single mistyped character through the checksum', () => {
    const token = generateApiToken();
    const position = API_TOKEN_PREFIX.length + 10;
    const replacement = token[position] === 'a' ? 'b' : 'a';
    const typo = token.slice(0, position) + replacement + token.slice(position + 1);
    expect(isApiTokenFormat(typo)).toBe(false);
  });

  it('reject other shapes', () => {
    expect(isApiTokenFormat('')).toBe(false);
    expect(isApiTokenFormat(`${generateApiToken()}x`)).toBe(false);
    expect(isApiTokenFormat(generateApiToken().replace('airlock_', 'alr_'))).toBe(false);
    expect(isApiTokenFormat(`airlock_${'-'.repeat(49)}`)).toBe(false);
  });

  it('hash to lowercase hex SHA-256', () => {
    expect(hashApiToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('draw base62 characters evenly', () => {
    const counts = new Map<string, number>();
    for (const c of randomBase62(62_000)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // 1000 expected per character; a modulo bias (256 % 62) would push the first 8 to ~1300.
    for (const count of counts.values()) expect(count).toBeGreaterThan(820);
    for (const count of counts.values()) expect(count).toBeLessThan(1180);
  });
});
