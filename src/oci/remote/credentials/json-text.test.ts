import { describe, expect, it } from 'vitest';
import { AppError } from '../../../kernel/index.js';
import { findKey, parseJsonText } from './json-text.js';

function messageOf(text: string): string {
  try {
    parseJsonText(text, 'the-file');
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('AUTH_CONFIG_INVALID');
    expect((error as AppError).cause).toBeUndefined();
    return (error as AppError).message;
  }
  throw new Error('expected a syntax error');
}

describe('parseJsonText', () => {
  it('parses valid JSON', () => {
    expect(parseJsonText('{"a": [1]}', 'x')).toEqual({ a: [1] });
  });

  it('reports line and column of a syntax error', () => {
    expect(messageOf('{\n  "a": 1\n  "b": 2\n}')).toMatch(
      /^the-file is not valid JSON: .* at line 3, column 3$/,
    );
  });

  it('never quotes the text, which may hold a secret', () => {
    for (const text of [
      '{"auth": "s3cret-value" x}',
      '{"auth": s3cret-value}',
      '["s3cret-value",]',
      '{"auth": "s3cret-value"',
    ]) {
      expect(messageOf(text)).not.toContain('s3cret');
    }
  });

  it('says when the text ends early', () => {
    expect(messageOf('')).toContain('ends before the JSON value is complete');
  });
});

describe('findKey', () => {
  it('prefers the exact key and otherwise matches ignoring case', () => {
    expect(findKey({ auths: 1, Auths: 2 }, 'auths')).toBe('auths');
    expect(findKey({ CredHelpers: 1 }, 'credHelpers')).toBe('CredHelpers');
    expect(findKey({ other: 1 }, 'auths')).toBeUndefined();
  });
});
