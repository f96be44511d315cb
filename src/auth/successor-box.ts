import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Seal the refresh token that replaced `secret` so that only someone presenting `secret` again
 * can open it (AES-256-GCM, key = SHA-256 of a label and the 256-bit secret). The database holds
 * only the SHA-256 of `secret`, so the stored box alone never yields a usable token.
 */
const keyFor = (secret: string) => createHash('sha256').update('phlix-refresh-successor\0').update(secret).digest();

export function sealSuccessor(secret: string, successor: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keyFor(secret), iv);
  const body = Buffer.concat([c.update(successor, 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url');
}

export function openSuccessor(secret: string, box: string): string | null {
  try {
    const raw = Buffer.from(box, 'base64url');
    if (raw.length < 29) return null;
    const d = createDecipheriv('aes-256-gcm', keyFor(secret), raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  } catch {
    return null;
  }
}
