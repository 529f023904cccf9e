import { describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/index.js';
import { pageSize, paginate } from './listing.js';

describe('paginate', () => {
  const sorted = ['a', 'b', 'c', 'd', 'e'];
  it('returns pages after `last` and says when more follow', () => {
    expect(paginate(sorted, 2, undefined)).toEqual({ items: ['a', 'b'], next: 'b' });
    expect(paginate(sorted, 2, 'b')).toEqual({ items: ['c', 'd'], next: 'd' });
    expect(paginate(sorted, 2, 'd')).toEqual({ items: ['e'] });
    expect(paginate(sorted, 10, undefined)).toEqual({ items: sorted });
    expect(paginate(sorted, 2, 'bb')).toEqual({ items: ['c', 'd'], next: 'd' });
    expect(paginate(sorted, 2, 'z')).toEqual({ items: [] });
  });

  it('answers n=0 with an empty page and no next', () => {
    expect(paginate(sorted, 0, undefined)).toEqual({ items: [] });
  });

  it('bounds n by the configured maximum and refuses nonsense', () => {
    expect(pageSize(null, 100)).toBe(100);
    expect(pageSize('5', 100)).toBe(5);
    expect(pageSize('5000', 100)).toBe(100);
    expect(() => pageSize('-1', 100)).toThrow(AppError);
    expect(() => pageSize('ten', 100)).toThrow(AppError);
  });
});
