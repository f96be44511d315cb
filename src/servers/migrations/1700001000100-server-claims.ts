import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

/** Pairing claims, headless claim tokens and the bounded heartbeat history. */
export class ServerClaims1700001000100 implements MigrationInterface {
  name = 'ServerClaims1700001000100';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'server_claims',
        columns: [
          col.id(),
          col.str('claim_code', 9),
          col.str('pending_key', 64, true),
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
        ],
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

    await q.createTable(
      new Table({
        name: 'claim_tokens',
        columns: [
          col.id(),
          col.uuid('user_id'),
          col.str('token_hash', 64),
          col.ts('expires_at'),
          col.ts('used_at', true),
          col.uuid('server_id', true),
          col.ts('created_at'),
        ],
      }),
    );
    await q.createIndex(
      'claim_tokens',
      new TableIndex({ name: 'uq_claim_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
    );
    await q.createIndex(
      'claim_tokens',
      new TableIndex({ name: 'ix_claim_tokens_user', columnNames: ['user_id', 'expires_at'] }),
    );
    await q.createIndex(
      'claim_tokens',
      new TableIndex({ name: 'ix_claim_tokens_expires', columnNames: ['expires_at'] }),
    );

    await q.createTable(
      new Table({
        name: 'server_heartbeats',
        columns: [
          col.id(),
          col.uuid('server_id'),
          col.str('version', 64),
          col.ts('uptime_seconds'),
          col.int('active_sessions'),
          col.int('active_transcodes'),
          col.text('hostname_candidates', false),
          col.ts('received_at'),
          col.ts('sent_at', true),
        ],
      }),
    );
    await q.createIndex(
      'server_heartbeats',
      new TableIndex({ name: 'ix_server_heartbeats_server_time', columnNames: ['server_id', 'received_at'] }),
    );
    await q.createIndex(
      'server_heartbeats',
      new TableIndex({ name: 'ix_server_heartbeats_received', columnNames: ['received_at'] }),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('server_heartbeats');
    await q.dropTable('claim_tokens');
    await q.dropTable('server_claims');
  }
}
