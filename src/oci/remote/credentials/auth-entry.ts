import { AppError } from '../../../kernel/index.js';
import type { Credential } from './credential.js';
import { findKey, isJsonObject } from './json-text.js';

/** The fields of a Docker `config.json` `auths` entry that carry credentials. */
export interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

const STRING_FIELDS = ['auth', 'username', 'password', 'identitytoken', 'registrytoken'] as const;

// Standard base64 (RFC 4648 §4), padding optional; Node's decoder would silently skip junk.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/**
 * Reads one `auths` entry the way docker/cli's config loader does: `auth` (base64 of
 * `user:password`, split at the first colon so the password may contain colons) overrides
 * `username`/`password`; `registrytoken` wins over `identitytoken`, which wins over a
 * password. An entry without secrets (e.g. only `email`, or `{}` as written when a
 * credential store holds the secret) yields undefined. Field names match without regard to
 * case (exact first), as Go's encoding/json matches them when Docker reads the file.
 *
 * @param where names the entry in messages, e.g. `/path/config.json: auths["ghcr.io"]`.
 */
export function parseAuthEntry(value: unknown, where: string): Credential | undefined {
  if (!isJsonObject(value)) throw new AppError('AUTH_CONFIG_INVALID', `${where} must be a JSON object`);
  const fields = readFields(value, where);
  let username = fields.username ?? '';
  let password = fields.password ?? '';
  if (fields.auth) ({ username, password } = decodeAuth(fields.auth, where));
  if (fields.registrytoken) return { kind: 'registry-token', token: fields.registrytoken };
  if (fields.identitytoken) {
    return username
      ? { kind: 'identity-token', username, token: fields.identitytoken }
      : { kind: 'identity-token', token: fields.identitytoken };
  }
  if (username === '' && password === '') return undefined;
  return { kind: 'basic', username, password };
}

function readFields(entry: Record<string, unknown>, where: string): AuthEntry {
  const fields: AuthEntry = {};
  for (const field of STRING_FIELDS) {
    const key = findKey(entry, field);
    if (key === undefined || entry[key] === undefined || entry[key] === null) continue;
    const value = entry[key];
    if (typeof value !== 'string') {
      throw new AppError('AUTH_CONFIG_INVALID', `${where}.${key} must be a string`);
    }
    fields[field] = value;
  }
  return fields;
}

function decodeAuth(auth: string, where: string): { username: string; password: string } {
  const trimmed = auth.trim();
  if (!BASE64.test(trimmed)) {
    throw new AppError('AUTH_CONFIG_INVALID', `${where}.auth is not valid base64`);
  }
  const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    throw new AppError(
      'AUTH_CONFIG_INVALID',
      `${where}.auth must be base64 of "username:password" but has no colon`,
    );
  }
  // docker/cli trims NUL bytes some old tools appended to the password.
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1).replace(/^\0+|\0+$/g, '') };
}

/**
 * The `auths` entry Docker would write for a credential: `auth` for a username (with an
 * empty password next to an identity token, as `docker login` does), and the token field.
 */
export function encodeAuthEntry(credential: Credential): AuthEntry {
  switch (credential.kind) {
    case 'basic':
      assertUsername(credential.username);
      if (credential.username === '') throw new AppError('USAGE_INVALID', 'a username is required');
      return { auth: encodeAuth(credential.username, credential.password) };
    case 'identity-token':
      assertToken(credential.token);
      if (credential.username === undefined) return { identitytoken: credential.token };
      assertUsername(credential.username);
      return { auth: encodeAuth(credential.username, ''), identitytoken: credential.token };
    case 'registry-token':
      assertToken(credential.token);
      return { registrytoken: credential.token };
  }
}

function encodeAuth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

function assertUsername(username: string): void {
  if (username.includes(':')) {
    throw new AppError(
      'USAGE_INVALID',
      `username ${JSON.stringify(username)} contains ":", which the auth.json format cannot store (it separates username and password)`,
    );
  }
}

function assertToken(token: string): void {
  if (token === '') throw new AppError('USAGE_INVALID', 'the token is empty');
}
