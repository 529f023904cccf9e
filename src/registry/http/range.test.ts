import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContentRange, parseRangeHeader } from './range.js';

describe('parseRangeHeader', () => {
  it.each([
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=90-', 100, { start: 90, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-1000', 100, { start: 0, end: 99 }],
    ['bytes=50-5000', 100, { start: 50, end: 99 }],
  ])('%s of %i bytes', (header, size, expected) => {
    expect(parseRangeHeader(header, size)).toEqual(expected);
  });

  it.each([
    ['bytes=100-', 100],
    ['bytes=-0', 100],
    ['bytes=0-', 0],
  ])('%s of %i bytes is unsatisfiable', (header, size) => {
    expect(parseRangeHeader(header, size)).toBe('unsatisfiable');
  });

  it.each([undefined, 'bytes=0-1,5-6', 'items=0-1', 'bytes=5-1', 'bytes=-', 'bytes=a-b'])(
    'ignores %s (serve everything)',
    (header) => {
      expect(parseRangeHeader(header, 100)).toBeUndefined();
    },
  );

  it('always yields a range inside the representation', () => {
    fc.assert(
      fc.property(fc.nat(1e9), fc.option(fc.nat(2e9)), fc.option(fc.nat(2e9)), (size, first, last) => {
        const header = `bytes=${first ?? ''}-${last ?? ''}`;
        const range = parseRangeHeader(header, size);
        if (range === undefined || range === 'unsatisfiable') return;
        expect(range.start).toBeGreaterThanOrEqual(0);
        expect(range.end).toBeLessThan(size);
        expect(range.start).toBeLessThanOrEqual(range.end);
      }),
    );
  });
});

describe('parseContentRange', () => {
  it('accepts the spec form and the RFC 9110 form', () => {
    expect(parseContentRange('0-99')).toEqual({ start: 0, end: 99 });
    expect(parseContentRange('bytes 100-199/*')).toEqual({ start: 100, end: 199 });
    expect(parseContentRange('bytes=5-9/10')).toEqual({ start: 5, end: 9 });
  });

  it.each(['', '10', '9-5', 'a-b', '-5', '0-99999999999999999999'])('refuses %s', (header) => {
    expect(parseContentRange(header)).toBeUndefined();
  });
});
