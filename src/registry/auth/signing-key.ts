import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../kernel/index.js';
import { tempName } from '../storage/atomic.js';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** JWK thumbprint (RFC 7638), the `kid` of issued tokens. */
  keyId: string;
}

const KEY_FILE = 'token-signing-key.pem';

/**
 * The ES256 key that signs and verifies tokens, created on first start (mode 0600) and
 * shared by every process serving the same storage — so that a token issued by one is
 * accepted by all. Creation is race-free across processes: the key is written to a staging
 * file and hard-linked into place, which fails if another process got there first.
 */
export async function loadOrCreateSigningKey(
  dir: string,
  options: { signal?: AbortSignal } = {},
): Promise<SigningKey> {
  const path = join(dir, KEY_FILE);
  let pem = await readIfExists(path, options.signal);
  if (pem === undefined) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const staging = join(dir, tempName('key'));
    await writeFile(staging, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
      flag: 'wx',
    });
    try {
      await link(staging, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(staging).catch(() => undefined);
    }
    pem = await readFile(path, 'utf8');
  }
  return toSigningKey(pem, path);
}

function toSigningKey(pem: string, path: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new AppError(
      'CONFIG_INVALID',
      `token signing key ${path} is not a PEM private key; remove it to have a new one created`,
      { cause: error },
    );
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new AppError('CONFIG_INVALID', `token signing key ${path} must be an EC P-256 key (ES256)`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: thumbprint(publicKey) };
}

function thumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

async function readIfExists(path: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return await readFile(path, { encoding: 'utf8', signal });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
