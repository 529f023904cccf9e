import { describe, expect, it } from 'vitest';
import { REDACTED, redactHeaders, redactText, redactUrl } from './redact.js';

describe('redactText: URL userinfo', () => {
  const cases: [string, string, string[]][] = [
    ['user and password', 'https://alice:s3cret@registry.example/v2/', ['alice', 's3cret']],
    ['token as user', 'https://ghp_abcdef123456@github.com/org/repo', ['ghp_abcdef123456']],
    [
      'empty user, token as password',
      'https://:glpat-abcdef123456@gitlab.example/v2/',
      ['glpat-abcdef123456'],
    ],
    ['password containing @', 'https://bob:p@ssw0rd@registry.example/v2/', ['p@ssw0rd', 'ssw0rd']],
    ['email as user', 'https://me@corp.example:hunter22@registry.example/', ['hunter22', 'me@corp']],
    ['no path', 'http://u:pw123@localhost:5000', ['pw123']],
  ];
  it.each(cases)('%s', (_name, url, secrets) => {
    const text = `failed to reach ${url} after 3 attempts`;
    const redacted = redactText(text);
    for (const secret of secrets) expect(redacted).not.toContain(secret);
    expect(redacted).toContain(REDACTED);
    expect(redacted).toContain('after 3 attempts');
  });

  it('leaves URLs without userinfo and nearby e-mail addresses alone', () => {
    const text = 'see https://registry.example:5000/v2/ and write to ops@example.com';
    expect(redactText(text)).toBe(text);
    expect(redactUrl(new URL('https://registry.example/v2/?n=10'))).toBe('https://registry.example/v2/?n=10');
  });
});

describe('redactText: authorization values', () => {
  it('redacts Bearer and Basic credentials', () => {
    const text =
      'Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl and Basic YWxpY2U6czNjcmV0';
    const redacted = redactText(text);
    expect(redacted).toBe(`Authorization: Bearer ${REDACTED} and Basic ${REDACTED}`);
  });

  it('redacts credentials whatever the case of the scheme', () => {
    expect(redactText('authorization: bearer abcdefgh12345678')).toBe(`authorization: bearer ${REDACTED}`);
    expect(redactText('BASIC YWxpY2U6czNjcmV0')).toBe(`BASIC ${REDACTED}`);
  });

  it("redacts Airlock's API tokens anywhere in text", () => {
    const token = `airlock_${'a1B2c3D4e5'.repeat(4)}123456789`;
    expect(redactText(`export AIRLOCK_TOKEN=${token} # mine`)).toBe(
      `export AIRLOCK_TOKEN=airlock_${REDACTED} # mine`,
    );
  });

  it('keeps short words after the scheme (challenge text)', () => {
    const text = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"';
    expect(redactText(text)).toBe(text);
  });
});

describe('redactText: secret query parameters', () => {
  it('redacts token, password and pre-signed URL signatures, keeping other parameters', () => {
    const url =
      'https://bucket.s3.amazonaws.com/blob?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260101' +
      '&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE&X-Amz-Signature=abcdef0123&X-Amz-Expires=600';
    const redacted = redactText(url);
    for (const secret of ['AKIAEXAMPLE', 'FwoGZXIvYXdzEXAMPLE', 'abcdef0123'])
      expect(redacted).not.toContain(secret);
    expect(redacted).toContain('X-Amz-Algorithm=AWS4-HMAC-SHA256');
    expect(redacted).toContain('X-Amz-Expires=600');
  });

  it('redacts OAuth and SAS parameters in any case', () => {
    const redacted = redactText(
      'https://auth.example/token?service=reg&ACCESS_TOKEN=aaa111&refresh_token=bbb222&password=ccc333#frag ' +
        'https://acct.blob.core.windows.net/c/b?sv=2022&sig=ddd444',
    );
    for (const secret of ['aaa111', 'bbb222', 'ccc333', 'ddd444']) expect(redacted).not.toContain(secret);
    expect(redacted).toContain('service=reg');
    expect(redacted).toContain('#frag');
    expect(redacted).toContain('sv=2022');
  });
});

describe('redactHeaders', () => {
  it('replaces secret headers whatever their case, redacts text in the others, drops undefined', () => {
    const out = redactHeaders({
      Authorization: 'Bearer abcdefghijkl',
      'proxy-authorization': 'Basic dXNlcjpwYXNz',
      Cookie: 'session=1',
      'set-cookie': ['a=1', 'b=2'],
      'X-Registry-Auth': 'eyJ1c2VybmFtZSI6ImEifQ==',
      location: 'https://storage.example/blob?sig=secretsig&se=2026',
      'content-type': 'application/json',
      'x-missing': undefined,
    });
    expect(out).toEqual({
      Authorization: REDACTED,
      'proxy-authorization': REDACTED,
      Cookie: REDACTED,
      'set-cookie': REDACTED,
      'X-Registry-Auth': REDACTED,
      location: `https://storage.example/blob?sig=${REDACTED}&se=2026`,
      'content-type': 'application/json',
    });
  });
});
