import { expect, it } from 'vitest';
import { createTestContext } from '../../engine/actions/testing/context.js';
import { ActionFailure } from '../../engine/actions/contract.js';
import { excerptOf, maskSecrets, maskSecretsInValue, requireSecret } from './secrets.js';

it('masks every occurrence of each secret, longest first, and URL credentials', () => {
  expect(maskSecrets('key=abcdef and abcdefgh; https://u:pw@h/x', ['abcdef', 'abcdefgh'])).toBe(
    'key=*** and ***; https://[REDACTED]@h/x',
  );
  expect(maskSecrets('no', ['no'])).toBe('no');
});

it('quotes the start of a body on one line, masked before it is clipped', () => {
  const secret = 's'.repeat(20);
  const body = Buffer.from(`${'a'.repeat(190)}\n\t${secret}\u0007${'b'.repeat(100)}`);
  const excerpt = excerptOf(body, [secret]);
  expect(excerpt).toBe(`${'a'.repeat(190)} ***?${'b'.repeat(5)}…`);
  expect(excerpt).not.toContain('sss');
});

it('masks secrets inside the strings and keys of a JSON value, and says whether it did', () => {
  expect(maskSecretsInValue({ a: ['x tok-123 y', 1, null], 'tok-123': true }, ['tok-123'])).toEqual({
    value: { a: ['x *** y', 1, null], '***': true },
    masked: true,
  });
  const clean = { a: 'b' };
  expect(maskSecretsInValue(clean, ['tok-123'])).toEqual({ value: clean, masked: false });
  expect(maskSecretsInValue({ q: 'say "hi"' }, ['"hi"'])).toEqual({ value: { q: 'say ***' }, masked: true });
});

it('names the field that asked for a missing secret', () => {
  const { context } = createTestContext({ secrets: { present: 'v' } });
  expect(requireSecret(context, 'present', 'secret')).toBe('v');
  const error = (() => {
    try {
      return requireSecret(context, 'absent', 'secretHeaders.Authorization');
    } catch (e) {
      return e;
    }
  })() as ActionFailure;
  expect(error).toBeInstanceOf(ActionFailure);
  expect(error.message).toBe('secretHeaders.Authorization: secret "absent" is not configured');
  expect(error.details).toEqual({
    code: 'ACTION_SECRET_MISSING',
    secret: 'absent',
    field: 'secretHeaders.Authorization',
  });
});
