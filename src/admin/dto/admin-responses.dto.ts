import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditEntryDto } from '../../audit/dto/audit-responses.dto.js';

export class DashboardUsersDto {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) admins: number;
  @ApiProperty({ type: 'integer' }) disabled: number;
}

/** Claimed servers by status. */
export class DashboardServersDto {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) online: number;
  @ApiProperty({ type: 'integer' }) offline: number;
  @ApiProperty({ type: 'integer' }) claiming: number;
  @ApiProperty({ type: 'integer' }) disabled: number;
}

export class DashboardRelayDto {
  @ApiProperty({ type: 'integer' }) active_tunnels: number;
  @ApiProperty({ type: 'integer' }) active_streams: number;
  @ApiProperty({
    type: 'integer',
    description: 'an upper bound: bytes of tunnels open today (UTC), per tunnel lifetime',
  })
  bytes_today: number;
  @ApiProperty({ format: 'date-time' }) bytes_today_since: string;
  @ApiPropertyOptional({ description: 'how bytes_today is counted, or why it is not available' }) note?: string;
}

/** GET /api/v1/admin/dashboard (and /summary). */
export class DashboardDto {
  @ApiProperty({ format: 'date-time' }) generated_at: string;
  @ApiProperty({ type: () => DashboardUsersDto }) users: DashboardUsersDto;
  @ApiProperty({ type: () => DashboardServersDto }) servers: DashboardServersDto;
  @ApiProperty({ type: () => DashboardRelayDto }) relay: DashboardRelayDto;
  @ApiProperty({ type: () => [AuditEntryDto], description: 'the 10 newest audit entries' })
  recent_activity: AuditEntryDto[];
}
