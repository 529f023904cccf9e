/**
 * Last-line-of-defence redaction for text that may reach logs, errors or the database:
 * URL userinfo, bearer/basic credentials, and secret-looking query parameters.
 */
// Userinfo ends at the last '@' of the authority: user names (e-mail addresses) and passwords
// sometimes carry an unescaped '@', and a token may be sent as the password of an empty user.
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s?#:]*(?::[^/\s?#]*)?@/gi;
// Schemes are case-insensitive (RFC 9110 §11.1): `bearer …` is as secret as `Bearer …`.
const AUTH_HEADER_VALUE = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
// Airlock's own API tokens (`airlock_` + 49 base62 characters), wherever they appear.
const API_TOKEN = /\bairlock_[0-9A-Za-z]{49}\b/g;
const SECRET_PARAM =
  /([?&](?:access_token|token|password|refresh_token|client_secret|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|X-Goog-Signature|X-Goog-Credential|sig|signature)=)[^&\s#]+/gi;

export const REDACTED = '[REDACTED]';

export function redactText(text: string): string {
  return text
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(AUTH_HEADER_VALUE, `$1 ${REDACTED}`)
    .replace(SECRET_PARAM, `$1${REDACTED}`)
    .replace(API_TOKEN, `airlock_${REDACTED}`);
}

/** A URL as it may be shown: no userinfo, no secret query parameters. */
export function redactUrl(url: string | URL): string {
  return redactText(String(url));
}

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-registry-auth',
]);

export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : redactText(String(value));
  }
  return out;
}
