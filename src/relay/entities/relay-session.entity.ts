import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/**
 * One row per server tunnel lifetime (opened at HELLO_ACK, closed when the tunnel ends).
 * `closed_at IS NULL` means open on `worker_node`. Byte counters are flushed periodically
 * and at close; bytes_in = server → hub, bytes_out = hub → server (WebSocket payload bytes).
 */
@Entity('relay_sessions')
export class RelaySession {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { name: 'server_id', length: 36 }) serverId: string;
  @Column('varchar', { name: 'tunnel_id', length: 36 }) tunnelId: string;
  @Column('varchar', { name: 'worker_node', length: 128 }) workerNode: string;
  @Column('varchar', { name: 'remote_ip', length: 64, nullable: true }) remoteIp: string | null;
  /** 'plain' (Phlix server protocol) or 'credit' (per-stream credit flow control, our agent) */
  @Column('varchar', { name: 'flow_control', length: 16 }) flowControl: string;
  @Column('bigint', { name: 'opened_at', transformer: bigintNumber }) openedAt: number;
  @Column('bigint', { name: 'closed_at', nullable: true, transformer: bigintNumber }) closedAt: number | null;
  @Column('bigint', { name: 'last_frame_at', nullable: true, transformer: bigintNumber }) lastFrameAt: number | null;
  @Column('bigint', { name: 'bytes_in', default: 0, transformer: bigintNumber }) bytesIn: number;
  @Column('bigint', { name: 'bytes_out', default: 0, transformer: bigintNumber }) bytesOut: number;
  @Column('varchar', { name: 'close_reason', length: 64, nullable: true }) closeReason: string | null;
}
