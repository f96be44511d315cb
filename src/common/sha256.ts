import { createHash } from 'node:crypto';

/** SHA-256 of a UTF-8 string as lowercase hex: how bearer secrets (tokens, codes, poll ids) are stored. */
export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');
