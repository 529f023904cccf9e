import {
  createHash,
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

/**
 * Hashes of user passwords and robot tokens as they are stored in the configuration.
 * Passwords use scrypt (memory-hard; node:crypto) in a PHC-like string; generated robot
 * tokens carry 256 bits of entropy, for which a plain SHA-256 is the usual at-rest form
 * (as for API tokens elsewhere) and keeps the token endpoint cheap.
 */

/** log2 of scrypt's N: 2^15 with r=8 costs ~32 MiB and tens of milliseconds per check. */
const SCRYPT_LOG_N = 15;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const KEY_LENGTH = 32;
const ROBOT_TOKEN_PREFIX = 'alr_';

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, { N: 2 ** SCRYPT_LOG_N, r: SCRYPT_R, p: SCRYPT_P });
  return `$scrypt$ln=${SCRYPT_LOG_N},r=${SCRYPT_R},p=${SCRYPT_P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function hashRobotToken(token: string): string {
  return `$sha256$${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/** A new robot token: shown once, stored only as {@link hashRobotToken}. */
export function generateRobotToken(): string {
  return `${ROBOT_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

const SCRYPT_FORMAT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;
const SHA256_FORMAT = /^\$sha256\$([a-f0-9]{64})$/;

/** Whether `secret` matches a stored hash; constant-time in the compared bytes. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const sha = SHA256_FORMAT.exec(stored);
  if (sha)
    return safeEqual(createHash('sha256').update(secret, 'utf8').digest(), Buffer.from(sha[1]!, 'hex'));
  const match = SCRYPT_FORMAT.exec(stored);
  if (!match) return false;
  const [, ln, r, p, salt, expected] = match;
  const logN = Number(ln);
  if (logN < 10 || logN > 20) return false;
  const want = Buffer.from(expected!, 'base64');
  const key = await scrypt(
    secret,
    Buffer.from(salt!, 'base64'),
    { N: 2 ** logN, r: Number(r), p: Number(p) },
    want.length,
  );
  return safeEqual(key, want);
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function scrypt(secret: string, salt: Buffer, options: ScryptOptions, length = KEY_LENGTH): Promise<Buffer> {
  const maxmem = 256 * (options.N ?? 1) * (options.r ?? 8) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scryptCallback(secret, salt, length, { ...options, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
