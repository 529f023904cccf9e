import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * API token secrets: `airlock_` + 43 random base62 characters (256 bits) + a 6-character base62
 * CRC-32 of the random part. The prefix lets secret scanners recognise a leaked token; the
 * checksum lets them (and the server) reject mistyped or made-up tokens without a lookup.
 *
 * Only a SHA-256 of the whole token is stored. A slow password hash (scrypt, argon2) protects
 * low-entropy secrets against guessing; a 256-bit random value cannot be guessed, so a fast
 * hash is as strong here and keeps the per-request check to one indexed lookup.
 */
export const API_TOKEN_PREFIX = 'airlock_';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** ⌈256 / log2(62)⌉: 43 base62 characters carry at least 256 bits. */
const RANDOM_CHARS = 43;
/** 62^6 > 2^32: six characters hold any CRC-32. */
const CHECKSUM_CHARS = 6;
const TOKEN_FORMAT = new RegExp(`^${API_TOKEN_PREFIX}[0-9A-Za-z]{${RANDOM_CHARS + CHECKSUM_CHARS}}$`);
/** The largest multiple of 62 below 256: bytes at or above it are dropped so every character is equally likely. */
const UNBIASED_LIMIT = 248;

/** A new token secret; shown once to whoever created it and never stored. */
export function generateApiToken(): string {
  const random = randomBase62(RANDOM_CHARS);
  return `${API_TOKEN_PREFIX}${random}${checksum(random)}`;
}

/** Whether `text` looks like an API token and its checksum matches. */
export function isApiTokenFormat(text: string): boolean {
  if (!TOKEN_FORMAT.test(text)) return false;
  const body = text.slice(API_TOKEN_PREFIX.length);
  return checksum(body.slice(0, RANDOM_CHARS)) === body.slice(RANDOM_CHARS);
}

/** The at-rest form of a token: lowercase hex SHA-256 of its UTF-8 bytes. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A random base62 identifier (token ids, shown in lists and audit entries). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < UNBIASED_LIMIT) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

function checksum(text: string): string {
  let value = crc32(text);
  let out = '';
  for (let i = 0; i < CHECKSUM_CHARS; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}
