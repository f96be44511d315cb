import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

const claimColumns = [
  col.str('key_thumbprint', 64),
  col.text('public_key_jwk', false),
  col.str('server_name', 255),
  col.str('version', 64),
  col.text('hostname_candidates', false),
  col.str('protocol_version', 10),
  col.str('status', 16),
  col.uuid('claimed_by', true),
  col.ts('claimed_at', true),
  col.uuid('server_id', true),
  col.ts('delivered_at', true),
  col.str('created_ip', 64, true),
  col.ts('expires_at'),
  col.ts('created_at'),
  col.bool('proven'),
];

/**
 * Pairing hardening: every claims/new caller gets a claim of its own, with the code and the poll
 * secret stored as SHA-256 (claims are short-lived: pending ones are dropped, servers ask again);
 * server rows are unique per (key, owner) instead of per key; keys that proved possession of their
 * private key are remembered.
 */
export class ClaimsHashed1700001000200 implements MigrationInterface {
  name = 'ClaimsHashed1700001000200';
  async up(q: QueryRunner): Promise<void> {
    await q.dropTable('server_claims');
    await q.createTable(
      new Table({
        name: 'server_claims',
        columns: [
          col.id(),
          col.str('code_hash', 64),
          col.str('poll_hash', 64),
          ...claimColumns,
          col.str('proof_nonce', 36, true),
        ],
      }),
    );
    await q.createIndex(
      'server_claims',
      new TableIndex({ name: 'uq_server_claims_code_hash', columnNames: ['code_hash'], isUnique: true }),
    );
    await q.createIndex(
      'server_claims',
      new TableIndex({ name: 'uq_server_claims_poll_hash', columnNames: ['poll_hash'], isUnique: true }),
    );
    await q.createIndex(
      'server_claims',
      new TableIndex({ name: 'uq_server_claims_proof_nonce', columnNames: ['proof_nonce'], isUnique: true }),
    );
    await q.createIndex(
      'server_claims',
      new TableIndex({ name: 'ix_server_claims_expires', columnNames: ['expires_at'] }),
    );
    await q.createIndex(
      'server_claims',
      new TableIndex({ name: 'ix_server_claims_server', columnNames: ['server_id'] }),
    );

    await q.dropIndex('servers', 'uq_servers_thumbprint');
    await q.createIndex('servers', new TableIndex({ name: 'ix_servers_thumbprint', columnNames: ['key_thumbprint'] }));
    await q.createIndex(
      'servers',
      new TableIndex({ name: 'uq_servers_key_owner', columnNames: ['key_thumbprint', 'owner_id'], isUnique: true }),
    );

    await q.createTable(
      new Table({
        name: 'server_key_proofs',
        columns: [{ ...col.str('key_thumbprint', 64), isPrimary: true }, col.ts('first_proven_at')],
      }),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('server_key_proofs');
    await q.dropIndex('servers', 'uq_servers_key_owner');
    await q.dropIndex('servers', 'ix_servers_thumbprint');
    await q.createIndex(
      'servers',
      new TableIndex({ name: 'uq_servers_thumbprint', columnNames: ['key_thumbprint'], isUnique: true }),
    );
    await q.dropTable('server_claims');
    await q.createTable(
      new Table({
        name: 'server_claims',
        columns: [col.id(), col.str('claim_code', 9), col.str('pending_key', 64, true), ...claimColumns],
      }),
    );
    await q.createIndex(
      'server_claims',
      new TableIndex({ name: 'uq_server_claims_code', columnNames: ['claim_code'], isUnique: true }),
    );
    await q.createIndex(
      'server_claims',
      new TableIndex({ name: 'uq_server_claims_pending_key', columnNames: ['pending_key'], isUnique: true }),
    );
    await q.createIndex(
      'server_claims',
      new TableIndex({ name: 'ix_server_claims_expires', columnNames: ['expires_at'] }),
    );
    await q.createIndex(
      'server_claims',
      new TableIndex({ name: 'ix_server_claims_server', columnNames: ['server_id'] }),
    );
  }
}
