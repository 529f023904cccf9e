import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../../src/kernel/index.js';

const run = promisify(execFile);

export interface SigningCertificate {
  /** PEM of the self-signed certificate: the registry's `rootcertbundle`. */
  certificatePath: string;
  privateKey: KeyObject;
  /** The certificate DER in standard base64, as the JWS `x5c` header carries it (RFC 7515 §4.1.6). */
  x5c: string[];
}

export interface CreateSigningCertificateOptions {
  commonName: string;
  signal?: AbortSignal;
}

/**
 * An EC P-256 key and a self-signed certificate for it, made with the `openssl` CLI in `dir`.
 * distribution's token access controller verifies the `x5c` chain against its root bundle
 * (registry/auth/token/token.go, parseAndVerifyCertChain); a self-signed leaf that is itself
 * the root passes that check, which is all a test issuer needs.
 */
export async function createSigningCertificate(
  dir: string,
  options: CreateSigningCertificateOptions,
): Promise<SigningCertificate> {
  const keyPath = join(dir, 'token-signing-key.pem');
  const certificatePath = join(dir, 'token-signing-cert.pem');
  const args = [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', keyPath, '-out', certificatePath, '-days', '2', '-subj', `/CN=${options.commonName}`,
  ]; // prettier-ignore
  try {
    await run('openssl', args, { signal: options.signal });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? String(error);
    throw new AppError('INTERNAL', `openssl could not create the token signing certificate: ${stderr}`, {
      cause: error,
    });
  }
  const certificate = new X509Certificate(await readFile(certificatePath));
  return {
    certificatePath,
    privateKey: createPrivateKey(await readFile(keyPath)),
    x5c: [certificate.raw.toString('base64')],
  };
}
