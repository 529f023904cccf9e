import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../kernel/index.js';
import { encodeAuthEntry, parseAuthEntry } from './auth-entry.js';
import type { Credential } from './credential.js';

const username = fc.string({ minLength: 1 }).filter((u) => !u.includes(':') && !u.includes('\0'));
const secret = fc.string({ minLength: 1 }).filter((s) => !s.startsWith('\0') && !s.endsWith('\0'));
const credential: fc.Arbitrary<Credential> = fc.oneof(
  fc.record({ kind: fc.constant('basic' as const), username, password: secret }),
  fc.record({ kind: fc.constant('identity-token' as const), username, token: secret }),
  fc.record({ kind: fc.constant('identity-token' as const), token: secret }),
  fc.record({ kind: fc.constant('registry-token' as const), token: secret }),
);

describe('auths entries', () => {
  it('read back what was written, for any credential', () => {
    fc.assert(
      fc.property(credential, (c) => {
        const entry = JSON.parse(JSON.stringify(encodeAuthEntry(c))) as unknown;
        expect(parseAuthEntry(entry, 'test')).toEqual(c);
      }),
    );
  });

  it('let auth override username and password, as docker/cli does', () => {
    const auth = Buffer.from('from-auth:pw').toString('base64');
    expect(parseAuthEntry({ auth, username: 'field', password: 'other' }, 'x')).toEqual({
      kind: 'basic',
      username: 'from-auth',
      password: 'pw',
    });
  });

  it('accept base64 without padding and strip NUL padding from the password', () => {
    const padded = Buffer.from('ab:c\0\0').toString('base64');
    expect(parseAuthEntry({ auth: padded }, 'x')).toEqual({ kind: 'basic', username: 'ab', password: 'c' });
    expect(parseAuthEntry({ auth: padded.replace(/=+$/, '') }, 'x')).toMatchObject({ username: 'ab' });
  });

  it('match field names without regard to case, preferring the exact name', () => {
    expect(parseAuthEntry({ IdentityToken: 't' }, 'x')).toEqual({ kind: 'identity-token', token: 't' });
    expect(parseAuthEntry({ Username: 'U', username: 'u', password: 'p' }, 'x')).toMatchObject({
      username: 'u',
    });
  });

  it('name the entry and field that is wrong, without its value', () => {
    const expectError = (value: unknown, text: string) => {
      try {
        parseAuthEntry(value, 'file: auths["r"]');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('AUTH_CONFIG_INVALID');
        expect((error as AppError).message).toBe(text);
      }
    };
    expectError('str', 'file: auths["r"] must be a JSON object');
    expectError({ auth: 'secret%%' }, 'file: auths["r"].auth is not valid base64');
    expectError({ password: ['x'] }, 'file: auths["r"].password must be a string');
  });

  it('refuse to write what the format cannot hold', () => {
    expect(() => encodeAuthEntry({ kind: 'basic', username: 'a:b', password: 'c' })).toThrow(/contains ":"/);
    expect(() => encodeAuthEntry({ kind: 'basic', username: '', password: 'c' })).toThrow(
      /username is required/,
    );
    expect(() => encodeAuthEntry({ kind: 'registry-token', token: '' })).toThrow(/token is empty/);
  });
});
