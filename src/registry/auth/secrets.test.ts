import { describe, expect, it } from 'vitest';
import { generateRobotToken, hashPassword, hashRobotToken, verifySecret } from './secrets.js';

describe('secret hashes', () => {
  it('verifies scrypt password hashes, salted so equal passwords hash differently', async () => {
    const one = await hashPassword('correct horse');
    const two = await hashPassword('correct horse');
    expect(one).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect(one).not.toBe(two);
    expect(await verifySecret('correct horse', one)).toBe(true);
    expect(await verifySecret('correct horse!', one)).toBe(false);
  });

  it('verifies robot tokens against their SHA-256', async () => {
    const token = generateRobotToken();
    expect(token).toMatch(/^alr_[A-Za-z0-9_-]{43}$/);
    expect(await verifySecret(token, hashRobotToken(token))).toBe(true);
    expect(await verifySecret(`${token}x`, hashRobotToken(token))).toBe(false);
  });

  it('refuses malformed hashes and absurd cost parameters', async () => {
    expect(await verifySecret('x', 'plain')).toBe(false);
    expect(await verifySecret('x', '$scrypt$ln=30,r=8,p=1$AAAA$AAAA')).toBe(false);
  });
});
