import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

export type ClaimStatus = 'pending' | 'claimed';

/**
 * One pairing request from a media server: every claims/new call gets a row of its own (its own
 * code and poll secret, never shared with another caller, even for the same key). `id` is internal;
 * the code and the poll secret (the `claimId` the server polls with) are stored only as SHA-256.
 */
@Entity('server_claims')
export class ServerClaim {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  /** SHA-256 hex of the normalised code "XXXX-XXXX" */
  @Column('varchar', { name: 'code_hash', length: 64 }) codeHash: string;
  /** SHA-256 hex of the poll secret (the lower-case claimId UUID) */
  @Column('varchar', { name: 'poll_hash', length: 64 }) pollHash: string;
  @Column('varchar', { name: 'key_thumbprint', length: 64 }) keyThumbprint: string;
  @Column('text', { name: 'public_key_jwk' }) publicKeyJwk: string;
  @Column('varchar', { name: 'server_name', length: 255 }) serverName: string;
  @Column('varchar', { length: 64 }) version: string;
  @Column('text', { name: 'hostname_candidates' }) hostnameCandidates: string;
  @Column('varchar', { name: 'protocol_version', length: 10 }) protocolVersion: string;
  @Column('varchar', { length: 16 }) status: ClaimStatus;
  @Column('varchar', { name: 'claimed_by', length: 36, nullable: true }) claimedBy: string | null;
  @Column('bigint', { name: 'claimed_at', nullable: true, transformer: bigintNumber }) claimedAt: number | null;
  /** the server row the claim was bound to (set right after a successful claim) */
  @Column('varchar', { name: 'server_id', length: 36, nullable: true }) serverId: string | null;
  /** when the server fetched its enrollment JWT by polling (delivered once) */
  @Column('bigint', { name: 'delivered_at', nullable: true, transformer: bigintNumber }) deliveredAt: number | null;
  @Column('varchar', { name: 'created_ip', length: 64, nullable: true }) createdIp: string | null;
  @Column('bigint', { name: 'expires_at', transformer: bigintNumber }) expiresAt: number;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
  /**
   * claims/new carried a valid key proof (a hub-issued challenge signed with the server's Ed25519
   * private key): the key holder itself asked. Only a proven claim may move a server claimed by one
   * account to another.
   */
  @Column('boolean', { default: false }) proven: boolean;
  /** jti of the challenge a proven claim used (unique: each challenge proves one claim) */
  @Column('varchar', { name: 'proof_nonce', length: 36, nullable: true }) proofNonce: string | null;
}
