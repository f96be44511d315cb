import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { jwtVerify, SignJWT, decodeProtectedHeader, errors as joseErrors } from 'jose';
import type { JWK, JWTPayload } from 'jose';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import type { ErrorCode } from '../common/error-codes.js';
import { writePrivateFileAtomic } from '../common/private-file.js';
import type { Ed25519Jwk } from '../common/jwk.js';

interface StoredKey {
  kid: string;
  private: JWK;
  public: JWK;
  created_at: number;
  /** set when a newer key took over; published until retired_at + grace */
  retired_at?: number;
}

interface KeyFile {
  keys: StoredKey[];
}

export type PublicJwk = Ed25519Jwk;

export interface SignOptions {
  audience: string;
  subject: string;
  ttlSeconds: number;
  jti?: string;
}

export interface VerifyOptions {
  audience: string;
  /** required `token_use` claim, if any */
  tokenUse?: string;
  /** error code used when the token is expired (default auth.invalid_token) */
  expiredCode?: ErrorCode;
}

/** How often (ms, at most) sign/verify/jwks look at the key file for changes made by another process. */
export const RELOAD_CHECK_MS = 1000;

const stampOf = (st: { mtimeMs: number; size: number; ino: number }) => `${st.mtimeMs}:${st.size}:${st.ino}`;

/** kid = base64url(SHA-256(raw public key)): stable across restarts (phlix-hub-impl §9.15). */
export function kidFor(x: string): string {
  return createHash('sha256').update(Buffer.from(x, 'base64url')).digest('base64url');
}

/**
 * The hub's Ed25519 signing keys, kept in <data dir>/keys/hub-keys.json (mode 0600).
 * Signs access tokens, enrollment JWTs and identity tokens; publishes the JWKS.
 */
@Injectable()
export class KeysService implements OnModuleInit {
  private readonly log = new Logger('KeysService');
  private file!: string;
  /** identity of the file last loaded (mtime, size, inode): a rename-over or rewrite changes it */
  private loadedStamp = '';
  private lastStatCheck = 0;
  private stored: StoredKey[] = [];
  private privateKeys = new Map<string, KeyObject>();
  private publicKeys = new Map<string, KeyObject>();

  constructor(private readonly cfg: HubConfig, private readonly clock: Clock) {}

  async onModuleInit(): Promise<void> {
    this.file = join(this.cfg.dataDir, 'keys', 'hub-keys.json');
    await this.ensureKey();
  }

  /** Create the first key if none exists (exclusive create: safe when two processes start together). */
  async ensureKey(): Promise<void> {
    mkdirSync(join(this.cfg.dataDir, 'keys'), { recursive: true, mode: 0o700 });
    if (!existsSync(this.file)) {
      const k = this.newKey();
      try {
        const fd = openSync(this.file, 'wx', 0o600);
        writeSync(fd, JSON.stringify({ keys: [k] }, null, 2));
        fsyncSync(fd);
        closeSync(fd);
        this.log.log(`created hub signing key ${k.kid}`);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    chmodSync(this.file, 0o600);
    this.load();
  }

  /** Add a new current key; the previous one stays published for the grace period. Returns the new kid. */
  async rotate(): Promise<string> {
    this.load();
    const now = this.clock.now();
    const k = this.newKey();
    const keys = this.stored.map((s) => (s.retired_at ? s : { ...s, retired_at: now }));
    const graceMs = this.cfg.keyRotationGrace * 1000;
    const kept = keys.filter((s) => !s.retired_at || s.retired_at + graceMs > now);
    this.writeAtomic({ keys: [...kept, k] });
    this.load();
    return k.kid;
  }

  currentKid(): string {
    const cur = this.stored.find((s) => !s.retired_at) ?? this.stored[this.stored.length - 1];
    return cur.kid;
  }

  /** The published keys: the current one first, then retired ones still inside the grace period. */
  jwks(): { keys: PublicJwk[] } {
    this.maybeReload();
    const cur = this.currentKid();
    const live = this.liveKeys().sort((a, b) => Number(b.kid === cur) - Number(a.kid === cur));
    return { keys: live.map((s) => ({ kty: 'OKP', crv: 'Ed25519', x: s.public.x!, kid: s.kid, use: 'sig', alg: 'EdDSA' })) };
  }

  async sign(claims: JWTPayload, opts: SignOptions): Promise<string> {
    this.maybeReload();
    const kid = this.currentKid();
    const now = this.clock.nowSeconds();
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid })
      .setIssuer(this.cfg.hubId)
      .setAudience(opts.audience)
      .setSubject(opts.subject)
      .setIssuedAt(now)
      .setNotBefore(now - 1)
      .setExpirationTime(now + opts.ttlSeconds)
      .setJti(opts.jti ?? randomUUID())
      .sign(this.privateKeys.get(kid)!);
  }

  /** Verify a token we issued. Pins alg=EdDSA and a known kid before checking the signature. */
  async verify(token: string, opts: VerifyOptions): Promise<JWTPayload> {
    const bad = () => new HubError('auth.invalid_token', 'The token is invalid');
    if (typeof token !== 'string' || token.length > 8192 || token.split('.').length !== 3) throw bad();
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw bad();
    }
    // Pin the header before touching any key: EdDSA only (no none/HS*/RS*), typ JWT, a kid we publish.
    if (header.alg !== 'EdDSA' || header.typ !== 'JWT' || typeof header.kid !== 'string') throw bad();
    // A rotation or key removal by another process (keys:rotate) must reach verification too,
    // even for a kid we already hold: re-check the key file (one stat, at most once a second).
    this.maybeReload();
    if (!this.liveKeys().some((k) => k.kid === header.kid)) {
      this.maybeReload(true);
      if (!this.liveKeys().some((k) => k.kid === header.kid)) throw bad();
    }
    const key = this.publicKeys.get(header.kid);
    if (!key) throw bad();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ['EdDSA'],
        issuer: this.cfg.hubId,
        audience: opts.audience,
        currentDate: new Date(this.clock.now()),
        clockTolerance: 5,
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) {
        throw new HubError(opts.expiredCode ?? 'auth.invalid_token', 'The token has expired');
      }
      throw bad();
    }
    if (opts.tokenUse && payload.token_use !== opts.tokenUse) throw bad();
    // Every token we sign carries exp: one without it is not ours to honour forever.
    if (typeof payload.exp !== 'number' || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') throw bad();
    return payload;
  }

  // --- internals -----------------------------------------------------------------------------

  private liveKeys(): StoredKey[] {
    const now = this.clock.now();
    const graceMs = this.cfg.keyRotationGrace * 1000;
    return this.stored.filter((s) => !s.retired_at || s.retired_at + graceMs > now);
  }

  private newKey(): StoredKey {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pub = publicKey.export({ format: 'jwk' }) as JWK;
    const priv = privateKey.export({ format: 'jwk' }) as JWK;
    return { kid: kidFor(pub.x!), private: priv, public: pub, created_at: this.clock.now() };
  }

  private writeAtomic(data: KeyFile): void {
    writePrivateFileAtomic(this.file, JSON.stringify(data, null, 2));
  }

  /** Pick up rotations done by another process (the CLI) — at most once a second unless forced. */
  private maybeReload(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastStatCheck < RELOAD_CHECK_MS) return;
    this.lastStatCheck = now;
    try {
      if (stampOf(statSync(this.file)) !== this.loadedStamp) this.load();
    } catch (e) {
      // keep the keys we have (a half-written or unreadable file), but say so
      this.log.warn(`key file reload failed: ${(e as Error).message}`);
    }
  }

  /** Synchronous, so a reload takes effect before the very next sign/verify. */
  private load(): void {
    const stamp = stampOf(statSync(this.file));
    const data = JSON.parse(readFileSync(this.file, 'utf8')) as KeyFile;
    if (!Array.isArray(data.keys) || data.keys.length === 0) throw new Error(`${this.file} holds no keys`);
    const priv = new Map<string, KeyObject>();
    const pub = new Map<string, KeyObject>();
    for (const k of data.keys) {
      if (k.public?.kty !== 'OKP' || k.public.crv !== 'Ed25519' || kidFor(k.public.x ?? '') !== k.kid) throw new Error(`${this.file}: key ${k.kid} is not a valid Ed25519 key`);
      priv.set(k.kid, createPrivateKey({ key: k.private as never, format: 'jwk' }));
      pub.set(k.kid, createPublicKey({ key: k.public as never, format: 'jwk' }));
    }
    this.stored = data.keys;
    this.privateKeys = priv;
    this.publicKeys = pub;
    this.loadedStamp = stamp;
  }
}
