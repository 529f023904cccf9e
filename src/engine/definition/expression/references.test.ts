import { describe, expect, it } from 'vitest';
import { referencedSteps, secretsReferenced, secretValuesUsed } from './references.js';

describe('referencedSteps', () => {
  it('finds the steps templates read, in first-use order, ignoring macro variables', () => {
    expect(
      referencedSteps({
        a: '${{ steps.scan.outputs.results.exists(steps, steps.x > 0) }}',
        b: ['${{ steps["tags"].outputs.tags }} ${{ steps.scan.status }}'],
        c: 'literal steps.nope.outputs',
        d: '${{ has(steps.mirror.outputs.digests) }}',
      }),
    ).toEqual(['scan', 'tags', 'mirror']);
  });

  it('skips expressions that do not compile', () => {
    expect(referencedSteps('${{ steps.a.outputs + }} ${{ steps.b.outputs }}')).toEqual(['b']);
  });
});

describe('secretsReferenced', () => {
  it('lists the secrets read by name, and flags whole or computed access', () => {
    expect(
      secretsReferenced({ auth: 'Bearer ${{ secrets.token }}', user: '${{ secrets["user"] }}' }),
    ).toEqual({
      names: ['token', 'user'],
      all: false,
    });
    expect(secretsReferenced('${{ secrets[inputs.name] }}')).toEqual({ names: [], all: true });
    expect(secretsReferenced('${{ size(secrets) }}').all).toBe(true);
  });

  it('gives the values to redact', () => {
    const secrets = { token: 't0k3n', user: 'robot', unused: 'zzz', empty: '' };
    expect(secretValuesUsed('Bearer ${{ secrets.token }} ${{ secrets.missing }}', secrets)).toEqual([
      't0k3n',
    ]);
    expect(secretValuesUsed('${{ secrets }}', secrets)).toEqual(['t0k3n', 'robot', 'zzz']);
    expect(secretValuesUsed('no secrets here', secrets)).toEqual([]);
  });
});
