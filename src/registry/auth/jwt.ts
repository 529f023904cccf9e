import { randomBytes, sign, verify } from 'node:crypto';
import type { Action } from '../config.js';
import type { SigningKey } from './signing-key.js';

/** One entry of the Docker token `access` claim. */
export interface AccessEntry {
  type: string;
  name: string;
  actions: string[];
}

/** Claims of the tokens this registry issues (Docker registry token specification). */
export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  /** Access tokens: what the bearer may do. */
  access?: AccessEntry[];
  /** `refresh` for OAuth2 refresh tokens, which grant nothing by themselves. */
  use?: 'access' | 'refresh';
}

export interface VerifyOptions {
  issuer: string;
  audience: string;
  /** Seconds since the epoch. */
  now: number;
}

/** Tolerated clock difference between processes or machines sharing the key. */
const CLOCK_SKEW_SECONDS = 60;
const HEADER_ES256 = { alg: 'ES256', typ: 'JWT' };

export function newTokenId(): string {
  return randomBytes(12).toString('base64url');
}

/** Signs claims as a compact JWS with ES256 (raw r||s signature, RFC 7518 §3.4). */
export function signJwt(claims: TokenClaims, key: SigningKey): string {
  const header = base64url(JSON.stringify({ ...HEADER_ES256, kid: key.keyId }));
  const payload = base64url(JSON.stringify(claims));
  const input = `${header}.${payload}`;
  const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** The claims of a token this registry signed and that is valid now; undefined otherwise. */
export function verifyJwt(token: string, key: SigningKey, options: VerifyOptions): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  let decodedHeader: { alg?: unknown; kid?: unknown };
  let claims: TokenClaims;
  try {
    decodedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as typeof decodedHeader;
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return undefined;
  }
  // Only our own algorithm: never `none`, never an algorithm the token chooses.
  if (decodedHeader.alg !== 'ES256' || decodedHeader.kid !== key.keyId) return undefined;
  const valid = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key: key.publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) return undefined;
  if (claims.iss !== options.issuer || claims.aud !== options.audience) return undefined;
  if (typeof claims.exp !== 'number' || claims.exp + CLOCK_SKEW_SECONDS < options.now) return undefined;
  if (typeof claims.nbf === 'number' && claims.nbf - CLOCK_SKEW_SECONDS > options.now) return undefined;
  return claims;
}

/** Whether the token's access claim grants `action` on a resource. */
export function grants(claims: TokenClaims, type: string, name: string, action: Action | '*'): boolean {
  return (claims.access ?? []).some(
    (entry) =>
      entry.type === type &&
      entry.name === name &&
      (entry.actions.includes(action) || entry.actions.includes('*')),
  );
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
