import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

export type ClaimStatus = 'pending' | 'claimed';

/**
 * A pairing request from a media server. `id` is the claim id: the unguessable poll secret.
 * `pending_key` holds the key thumbprint while the claim is pending (unique, so the same key
 * gets the same code back even under concurrent requests) and is cleared once claimed/expired.
 */
@Entity('server_claims')
export class ServerClaim {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  /** XXXX-XXXX */
  @Column('varchar', { name: 'claim_code', length: 9 }) claimCode: string;
  @Column('varchar', { name: 'pending_key', length: 64, nullable: true }) pendingKey: string | null;
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
   * claims/new was sent with the server's own currently valid enrollment JWT (Bearer), so the
   * server itself asked: only a proven claim may move a server claimed by one account to another.
   * Proven claims live in their own pending slot (pending_key = provenSlot(thumbprint)).
   */
  @Column('boolean', { default: false }) proven: boolean;
}
