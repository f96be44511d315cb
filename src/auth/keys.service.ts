import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID, type KeyObject } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { jwtVerify, SignJWT, decodeProtectedHeader, errors as joseErrors } from 'jose';
import type { JWTPayload } from 'jose';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import type { ErrorCode } from '../common/error-codes.js';
import { writePrivateFileAtomic } from '../common/private-file.js';
import {
  algOf,
  importStored,
  kidFor,
  newKey,
  publicJwk,
  withFileLock,
  type KeyAlg,
  type PublicJwk,
  type StoredKey,
} from './key-material.js';

interface KeyFile {
  keys: StoredKey[];
}

export { kidFor };
export type { PublicJwk };

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
const ALGS: KeyAlg[] = ['EdDSA', 'ES256'];

/**
 * The hub's signing keys, kept in <data dir>/keys/hub-keys.json (mode 0600): one current Ed25519
 * key (enrollment JWTs, identity and challenge tokens) and one current P-256 key (user access
 * tokens), plus retired ones of each kind inside the rotation grace. Publishes the JWKS.
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

  constructor(
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.file = join(this.cfg.hub.dataDir, 'keys', 'hub-keys.json');
    await this.ensureKey();
  }

  /**
   * Create the keys if there are none (exclusive create: safe when two processes start together);
   * a key file from before access tokens moved to ES256 gains its P-256 key here.
   */
  async ensureKey(): Promise<void> {
    mkdirSync(join(this.cfg.hub.dataDir, 'keys'), { recursive: true, mode: 0o700 });
    if (!existsSync(this.file)) {
      const keys = ALGS.map((a) => newKey(a, this.clock.now()));
      try {
        const fd = openSync(this.file, 'wx', 0o600);
        writeSync(fd, JSON.stringify({ keys }, null, 2));
        fsyncSync(fd);
        closeSync(fd);
        this.log.log(`created hub signing keys ${keys.map((k) => k.kid).join(', ')}`);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    chmodSync(this.file, 0o600);
    this.load();
    if (this.missingKinds().length) {
      // two processes upgrading one file at once must not each add (and sign with) a key of their own
      withFileLock(`${this.file}.lock`, () => {
        this.load();
        const added = this.missingKinds().map((a) => newKey(a, this.clock.now()));
        if (!added.length) return;
        this.writeAtomic({ keys: [...this.stored, ...added] });
        this.log.log(`added hub signing key ${added.map((k) => `${k.kid} (${algOf(k)})`).join(', ')}`);
      });
      this.load();
    }
  }

  private missingKinds(): KeyAlg[] {
    return ALGS.filter((a) => !this.stored.some((s) => algOf(s) === a && !s.retired_at));
  }

  /**
   * Add a new current key of each kind; the previous ones stay published for the grace period.
   * Returns the new Ed25519 kid (currentAccessKid() names the new P-256 one).
   */
  async rotate(): Promise<string> {
    this.load();
    const now = this.clock.now();
    const fresh = ALGS.map((a) => newKey(a, now));
    const keys = this.stored.map((s) => (s.retired_at ? s : { ...s, retired_at: now }));
    const graceMs = this.cfg.auth.keyRotationGraceSeconds * 1000;
    const kept = keys.filter((s) => !s.retired_at || s.retired_at + graceMs > now);
    this.writeAtomic({ keys: [...kept, ...fresh] });
    this.load();
    return fresh[0].kid;
  }

  /** The current Ed25519 kid. */
  currentKid(): string {
    return this.current('EdDSA').kid;
  }

  /** The current P-256 kid (user access tokens). */
  currentAccessKid(): string {
    return this.current('ES256').kid;
  }

  /**
   * The published keys: Ed25519 first (current, then retired ones inside the grace period; clients
   * that read keys[0] keep getting the enrollment key), then the P-256 access-token keys likewise.
   */
  jwks(): { keys: PublicJwk[] } {
    this.maybeReload();
    const live = this.liveKeys();
    const ordered = ALGS.flatMap((a) => {
      const cur = this.current(a).kid;
      return live.filter((s) => algOf(s) === a).sort((x, y) => Number(y.kid === cur) - Number(x.kid === cur));
    });
    return { keys: ordered.map(publicJwk) };
  }

  /** Sign with the current Ed25519 key (enrollment, identity, challenge: what others verify). */
  async sign(claims: JWTPayload, opts: SignOptions): Promise<string> {
    return this.signWith('EdDSA', claims, opts);
  }

  /** Sign a user access token with the current P-256 key (verified by AccessTokenStrategy). */
  async signAccess(claims: JWTPayload, opts: SignOptions): Promise<string> {
    return this.signWith('ES256', claims, opts);
  }

  /**
   * The public key that verifies an access token, chosen by the token's own header: ES256 only,
   * typ JWT, a live P-256 kid of ours. Anything else (EdDSA, HS*, none, a foreign kid) throws.
   */
  accessKeyFor(token: string): KeyObject {
    return this.pinnedKey(token, 'ES256');
  }

  /**
   * Pin the header before touching any key: this algorithm only (never none, HS or RS), typ JWT, and a
   * live kid of ours of that kind. Anything else throws auth.invalid_token.
   */
  private pinnedKey(token: string, alg: KeyAlg): KeyObject {
    const bad = () => new HubError('auth.invalid_token', 'The token is invalid');
    if (typeof token !== 'string' || token.length > 8192 || token.split('.').length !== 3) throw bad();
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw bad();
    }
    if (header.alg !== alg || header.typ !== 'JWT' || typeof header.kid !== 'string') throw bad();
    const key = this.liveKey(header.kid, alg);
    if (!key) throw bad();
    return key;
  }

  /** Verify an Ed25519 token we issued (enrollment, identity, challenge). Pins alg=EdDSA and a live kid before checking the signature. */
  async verify(token: string, opts: VerifyOptions): Promise<JWTPayload> {
    const bad = () => new HubError('auth.invalid_token', 'The token is invalid');
    const key = this.pinnedKey(token, 'EdDSA');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ['EdDSA'],
        issuer: this.cfg.hub.id,
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
    if (typeof payload.exp !== 'number' || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') {
      throw bad();
    }
    return payload;
  }

  // --- internals -----------------------------------------------------------------------------

  private async signWith(alg: KeyAlg, claims: JWTPayload, opts: SignOptions): Promise<string> {
    this.maybeReload();
    const kid = this.current(alg).kid;
    const now = this.clock.nowSeconds();
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg, typ: 'JWT', kid })
      .setIssuer(this.cfg.hub.id)
      .setAudience(opts.audience)
      .setSubject(opts.subject)
      .setIssuedAt(now)
      .setNotBefore(now - 1)
      .setExpirationTime(now + opts.ttlSeconds)
      .setJti(opts.jti ?? randomUUID())
      .sign(this.privateKeys.get(kid)!);
  }

  private current(alg: KeyAlg): StoredKey {
    const mine = this.stored.filter((s) => algOf(s) === alg);
    return mine.find((s) => !s.retired_at) ?? mine[mine.length - 1];
  }

  /**
   * The public key of a live `alg` key named `kid`. A rotation or key removal by another process
   * (keys:rotate) must reach verification too, even for a kid we already hold: re-check the key
   * file (one stat, at most once a second), and at once for a kid we do not know.
   */
  private liveKey(kid: string, alg: KeyAlg): KeyObject | undefined {
    const known = () => this.liveKeys().some((k) => k.kid === kid && algOf(k) === alg);
    this.maybeReload();
    if (!known()) {
      this.maybeReload(true);
      if (!known()) return undefined;
    }
    return this.publicKeys.get(kid);
  }

  private liveKeys(): StoredKey[] {
    const now = this.clock.now();
    const graceMs = this.cfg.auth.keyRotationGraceSeconds * 1000;
    return this.stored.filter((s) => !s.retired_at || s.retired_at + graceMs > now);
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
      const { priv: sk, pub: pk } = importStored(k, this.file);
      priv.set(k.kid, sk);
      pub.set(k.kid, pk);
    }
    if (!data.keys.some((k) => algOf(k) === 'EdDSA')) throw new Error(`${this.file} holds no Ed25519 key`);
    this.stored = data.keys;
    this.privateKeys = priv;
    this.publicKeys = pub;
    this.loadedStamp = stamp;
  }
}
