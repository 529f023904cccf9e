import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeCredential } from './credential.js';

describe('describeCredential', () => {
  it('names the kind and user', () => {
    expect(describeCredential({ kind: 'basic', username: 'alice', password: 'x' })).toBe(
      'basic (user "alice")',
    );
    expect(describeCredential({ kind: 'identity-token', username: 'svc', token: 'x' })).toBe(
      'identity token (user "svc")',
    );
    expect(describeCredential({ kind: 'identity-token', token: 'x' })).toBe('identity token');
    expect(describeCredential({ kind: 'registry-token', token: 'x' })).toBe('registry token');
    expect(describeCredential(undefined)).toBe('anonymous');
  });

  it('never contains the secret', () => {
    const secret = fc.string({ minLength: 12 }).map((s) => `SECRET-${s}`);
    fc.assert(
      fc.property(fc.string(), secret, (username, value) => {
        for (const text of [
          describeCredential({ kind: 'basic', username, password: value }),
          describeCredential({ kind: 'identity-token', username, token: value }),
          describeCredential({ kind: 'registry-token', token: value }),
        ]) {
          expect(text).not.toContain(value);
        }
      }),
    );
  });
});
