import { sign, type KeyObject } from 'node:crypto';
import { AppError } from '../../../src/kernel/index.js';

/** One entry of the `access` claim: what the bearer may do to one resource. */
export interface TokenAccess {
  type: string;
  name: string;
  actions: string[];
}

/**
 * The claim set of a registry bearer token (distribution docs/spec/auth/jwt.md): registered
 * claims of RFC 7519 plus the private `access` claim the registry authorizes from.
 */
export interface RegistryTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  access: TokenAccess[];
}

export interface JwtHeader {
  typ: string;
  alg: string;
  x5c?: string[];
  kid?: string;
}

/**
 * Signs claims as a compact JWS with ES256 (RFC 7518 §3.4): the signature is the raw 64-byte
 * R‖S pair, not DER, which is what `dsaEncoding: 'ieee-p1363'` produces.
 */
export function signRegistryToken(
  claims: RegistryTokenClaims,
  key: { privateKey: KeyObject; x5c: string[] },
): string {
  const header: JwtHeader = { typ: 'JWT', alg: 'ES256', x5c: key.x5c };
  const signingInput = `${encodePart(header)}.${encodePart(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), {
    key: key.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** Decodes a token without verifying it, for assertions on what the server issued. */
export function decodeRegistryToken(token: string): { header: JwtHeader; claims: RegistryTokenClaims } {
  const parts = token.split('.');
  if (parts.length !== 3)
    throw new AppError('AUTH_TOKEN_FAILED', `a JWT has 3 dot-separated parts, this one has ${parts.length}`);
  return { header: decodePart(parts[0]!) as JwtHeader, claims: decodePart(parts[1]!) as RegistryTokenClaims };
}

function encodePart(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodePart(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch (error) {
    throw new AppError('AUTH_TOKEN_FAILED', 'a JWT part is not base64url-encoded JSON', { cause: error });
  }
}
