import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const BYTES = { type: 'integer' } as const;

export class ServerUsageDto {
  @ApiProperty({ format: 'uuid' }) server_id: string;
  @ApiProperty({ type: String, nullable: true }) server_name: string | null;
  @ApiProperty(BYTES) bytes_in: number;
  @ApiProperty(BYTES) bytes_out: number;
}

/** The per-user values an admin set (null = the hub default). */
export class LimitOverridesDto {
  @ApiProperty({ type: 'integer', nullable: true }) quota_bytes_in: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) quota_bytes_out: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) max_concurrent_streams: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) throttle_bps: number | null;
}

/** A user's relay usage this period and the limits that apply (0 = unlimited). */
export class BandwidthDto {
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty({ example: '2026-01', description: 'the month (UTC)' }) period: string;
  @ApiProperty({ format: 'date-time' }) period_start: string;
  @ApiProperty({ format: 'date-time' }) period_end: string;
  @ApiProperty(BYTES) bytes_in: number;
  @ApiProperty(BYTES) bytes_out: number;
  @ApiProperty(BYTES) quota_bytes_in: number;
  @ApiProperty(BYTES) quota_bytes_out: number;
  @ApiProperty({ type: 'integer' }) max_concurrent_streams: number;
  @ApiProperty({ type: 'integer' }) throttle_bps: number;
  @ApiProperty({ type: 'integer' }) active_streams: number;
  @ApiProperty({ type: () => [ServerUsageDto] }) servers: ServerUsageDto[];
  @ApiPropertyOptional({ type: () => LimitOverridesDto, description: 'admin views only' })
  overrides?: LimitOverridesDto;
}

export class UserUsageDto {
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty({ type: String, nullable: true }) username: string | null;
  @ApiProperty(BYTES) bytes_in: number;
  @ApiProperty(BYTES) bytes_out: number;
}

/** GET /api/v1/admin/relay/usage: the period's totals and top users and servers. */
export class RelayUsageOverviewDto {
  @ApiProperty({ example: '2026-01' }) period: string;
  @ApiProperty({ format: 'date-time' }) period_start: string;
  @ApiProperty({ format: 'date-time' }) period_end: string;
  @ApiProperty(BYTES) bytes_in: number;
  @ApiProperty(BYTES) bytes_out: number;
  @ApiProperty({ type: 'integer' }) active_streams: number;
  @ApiProperty({ type: () => [UserUsageDto] }) users: UserUsageDto[];
  @ApiProperty({ type: () => [ServerUsageDto] }) servers: ServerUsageDto[];
}
