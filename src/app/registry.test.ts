import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError, silentLogger } from '../kernel/index.js';
import { isLoopback, parseListenAddress, startRegistry } from './registry.js';
import { resolveDataDir } from './data-dir.js';

describe('registry composition', () => {
  it.each([
    ['127.0.0.1:5000', { host: '127.0.0.1', port: 5000 }],
    ['[::1]:0', { host: '::1', port: 0 }],
    [':5000', { host: '0.0.0.0', port: 5000 }],
    ['localhost:80', { host: 'localhost', port: 80 }],
  ])('parses listen address %s', (text, expected) => {
    expect(parseListenAddress(text)).toEqual(expected);
  });

  it.each(['5000', 'host', '1.2.3.4:70000', '[::1]'])('refuses listen address %s', (text) => {
    expect(() => parseListenAddress(text)).toThrow(/invalid listen address/);
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.com'].some(isLoopback)).toBe(false);
  });

  it('refuses to serve an open registry beyond loopback', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'airlock-open-'));
    try {
      const attempt = startRegistry({ dataDir, listen: '0.0.0.0:0', logger: silentLogger });
      await expect(attempt).rejects.toBeInstanceOf(AppError);
      await expect(attempt).rejects.toThrow(/refusing to listen on 0\.0\.0\.0 without auth/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('resolves the data directory from the flag, then AIRLOCK_DATA_DIR, then ./.airlock', () => {
    expect(resolveDataDir('/srv/airlock', { AIRLOCK_DATA_DIR: '/elsewhere' })).toBe('/srv/airlock');
    expect(resolveDataDir(undefined, { AIRLOCK_DATA_DIR: '/elsewhere' })).toBe('/elsewhere');
    expect(resolveDataDir(undefined, {})).toBe(join(process.cwd(), '.airlock'));
  });
});
