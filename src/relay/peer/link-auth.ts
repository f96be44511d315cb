import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Path of the internal link on every replica's main port. */
export const LINK_PATH = '/internal/cluster/v1/link';
/** How far a link signature's timestamp may be from this replica's clock. */
export const LINK_AUTH_WINDOW_S = 60;

export const LINK_HEADERS = {
  node: 'x-phlix-node',
  ts: 'x-phlix-ts',
  nonce: 'x-phlix-nonce',
  sig: 'x-phlix-signature',
} as const;

function mac(secret: string, nodeId: string, ts: number, nonce: string): Buffer {
  return createHmac('sha256', secret).update(`phlix-cluster-link\n${nodeId}\n${ts}\n${nonce}`).digest();
}

/** Headers that prove the dialling replica knows the cluster secret (never the secret itself). */
export function signLink(secret: string, nodeId: string, nowS: number): Record<string, string> {
  const nonce = randomBytes(16).toString('hex');
  return {
    [LINK_HEADERS.node]: nodeId,
    [LINK_HEADERS.ts]: String(nowS),
    [LINK_HEADERS.nonce]: nonce,
    [LINK_HEADERS.sig]: mac(secret, nodeId, nowS, nonce).toString('hex'),
  };
}

type Headers = Record<string, string | string[] | undefined>;

const one = (h: Headers, name: string): string | null => {
  const v = h[name];
  return typeof v === 'string' ? v : null;
};

/**
 * Replay guard: nonces seen inside the window. Bounded: past the cap new links are refused until
 * old nonces age out (a flood of valid signatures would need the secret anyway).
 */
export class NonceLog {
  private readonly seen = new Map<string, number>();
  constructor(private readonly cap = 10_000) {}

  /** false if `nonce` was already used (or the log is full) */
  take(nonce: string, nowS: number): boolean {
    for (const [n, at] of this.seen) {
      if (at >= nowS - 2 * LINK_AUTH_WINDOW_S) break; // insertion order = time order
      this.seen.delete(n);
    }
    if (this.seen.has(nonce) || this.seen.size >= this.cap) return false;
    this.seen.set(nonce, nowS);
    return true;
  }
}

/** The dialling replica's node id when the signature holds, else null (no reason is given out). */
export function verifyLink(secret: string, headers: Headers, nowS: number, nonces: NonceLog): string | null {
  const nodeId = one(headers, LINK_HEADERS.node);
  const tsRaw = one(headers, LINK_HEADERS.ts);
  const nonce = one(headers, LINK_HEADERS.nonce);
  const sig = one(headers, LINK_HEADERS.sig);
  if (!secret || !nodeId || !tsRaw || !nonce || !sig) return null;
  if (nodeId.length > 128 || !/^\d{1,12}$/.test(tsRaw) || !/^[0-9a-f]{16,64}$/.test(nonce)) return null;
  if (!/^[0-9a-f]{64}$/.test(sig)) return null;
  const ts = Number(tsRaw);
  if (Math.abs(nowS - ts) > LINK_AUTH_WINDOW_S) return null;
  const want = mac(secret, nodeId, ts, nonce);
  if (!timingSafeEqual(want, Buffer.from(sig, 'hex'))) return null;
  return nonces.take(nonce, nowS) ? nodeId : null;
}
