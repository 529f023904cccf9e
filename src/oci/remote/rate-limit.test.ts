import { describe, expect, it } from 'vitest';
import { parseRateLimit } from './rate-limit.js';

describe('parseRateLimit', () => {
  it('reads Docker Hub quota headers', () => {
    expect(
      parseRateLimit({
        'ratelimit-limit': '100;w=21600',
        'ratelimit-remaining': '76;w=21600',
        'docker-ratelimit-source': '203.0.113.7',
        'content-type': 'application/json',
      }),
    ).toEqual({ limit: 100, remaining: 76, windowSeconds: 21600, source: '203.0.113.7' });
  });

  it('reads an authenticated account quota with its id as source', () => {
    expect(
      parseRateLimit({
        'ratelimit-limit': '200;w=21600',
        'ratelimit-remaining': '0;w=21600',
        'docker-ratelimit-source': 'c4f1b2a0-5d1e-4c2b-9f0a-1a2b3c4d5e6f',
      }),
    ).toEqual({
      limit: 200,
      remaining: 0,
      windowSeconds: 21600,
      source: 'c4f1b2a0-5d1e-4c2b-9f0a-1a2b3c4d5e6f',
    });
  });

  it('tolerates whitespace, missing windows and the window on one header only', () => {
    expect(parseRateLimit({ 'ratelimit-limit': ' 100 ; w = 3600 ', 'ratelimit-remaining': '5' })).toEqual({
      limit: 100,
      remaining: 5,
      windowSeconds: 3600,
    });
    expect(parseRateLimit({ 'ratelimit-limit': '100', 'ratelimit-remaining': '99' })).toEqual({
      limit: 100,
      remaining: 99,
    });
  });

  it('takes the first of repeated headers', () => {
    expect(
      parseRateLimit({ 'ratelimit-limit': ['100;w=21600', '1;w=1'], 'ratelimit-remaining': ['7;w=21600'] }),
    ).toEqual({ limit: 100, remaining: 7, windowSeconds: 21600 });
  });

  it('gives undefined without both headers or with unreadable counts', () => {
    expect(parseRateLimit({})).toBeUndefined();
    expect(parseRateLimit({ 'ratelimit-limit': '100;w=21600' })).toBeUndefined();
    expect(parseRateLimit({ 'ratelimit-remaining': '76;w=21600' })).toBeUndefined();
    expect(parseRateLimit({ 'ratelimit-limit': 'lots', 'ratelimit-remaining': '76' })).toBeUndefined();
    expect(parseRateLimit({ 'ratelimit-limit': '100', 'ratelimit-remaining': '' })).toBeUndefined();
  });
});
