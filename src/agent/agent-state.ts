import { generateKeyPairSync, createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFileAtomic } from '../common/private-file.js';
import type { Ed25519Jwk } from '../common/jwk.js';

/** The agent's public key as the hub receives it (Ed25519 JWK). */
export type AgentPublicJwk = Ed25519Jwk;

/** What the agent keeps between runs (one JSON file, mode 0600). */
export interface AgentStateData {
  version: 1;
  /** PKCS#8 PEM of the Ed25519 identity key */
  private_key_pem: string;
  public_jwk: AgentPublicJwk;
  /** enrollment, once claimed */
  hub_base_url?: string;
  server_id?: string;
  enrollment_jwt?: string;
  hub_jwks_url?: string;
  enrolled_at?: number;
}

export const STATE_FILE = 'phlix-agent.json';

function newKey(): Pick<AgentStateData, 'private_key_pem' | 'public_jwk'> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
  const kid = createHash('sha256').update(Buffer.from(x, 'base64url')).digest().subarray(0, 8).toString('base64url');
  return {
    private_key_pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    public_jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, use: 'sig', alg: 'EdDSA' },
  };
}

/**
 * The agent's identity key and enrollment in `<dataDir>/phlix-agent.json`. Written atomically
 * (temp file created 0600, fsync, rename) so the enrollment JWT is never world-readable, not
 * even for a moment.
 */
export class AgentState {
  readonly file: string;
  data: AgentStateData;

  private constructor(
    readonly dataDir: string,
    data: AgentStateData,
  ) {
    this.file = join(dataDir, STATE_FILE);
    this.data = data;
  }

  /** Load the state, creating the directory and a fresh key pair on first use. */
  static open(dataDir: string): AgentState {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, STATE_FILE);
    if (existsSync(file)) {
      const data = JSON.parse(readFileSync(file, 'utf8')) as AgentStateData;
      if (data.version !== 1 || typeof data.private_key_pem !== 'string' || !data.public_jwk?.x) {
        throw new Error(`${file} is not a phlix agent state file`);
      }
      chmodSync(file, 0o600);
      return new AgentState(dataDir, data);
    }
    const s = new AgentState(dataDir, { version: 1, ...newKey() });
    s.save();
    return s;
  }

  get enrolled(): boolean {
    return !!(this.data.server_id && this.data.enrollment_jwt && this.data.hub_base_url);
  }

  privateKey(): KeyObject {
    return createPrivateKey(this.data.private_key_pem);
  }

  setEnrollment(e: {
    hubBaseUrl: string;
    serverId: string;
    enrollmentJwt: string;
    hubJwksUrl?: string;
    enrolledAt: number;
  }): void {
    this.data = {
      ...this.data,
      hub_base_url: e.hubBaseUrl,
      server_id: e.serverId,
      enrollment_jwt: e.enrollmentJwt,
      hub_jwks_url: e.hubJwksUrl,
      enrolled_at: e.enrolledAt,
    };
    this.save();
  }

  setJwt(jwt: string): void {
    this.data = { ...this.data, enrollment_jwt: jwt };
    this.save();
  }

  clearEnrollment(): void {
    const { version, private_key_pem, public_jwk } = this.data;
    this.data = { version, private_key_pem, public_jwk };
    this.save();
  }

  save(): void {
    writePrivateFileAtomic(this.file, JSON.stringify(this.data, null, 2) + '\n');
  }
}

/** `exp` (seconds) of a JWT, read without verifying (the agent only schedules renewal with it). */
export function jwtExpiry(jwt: string): { iat: number | null; exp: number | null } {
  try {
    const p = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      iat?: unknown;
      exp?: unknown;
    };
    return { iat: typeof p.iat === 'number' ? p.iat : null, exp: typeof p.exp === 'number' ? p.exp : null };
  } catch {
    return { iat: null, exp: null };
  }
}
