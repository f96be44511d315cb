import { ApiProperty } from '@nestjs/swagger';

/** One audit entry: who did what, when, from where. */
export class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ example: 'server.claimed' }) action: string;
  @ApiProperty({ enum: ['user', 'admin', 'server', 'system', 'cli', 'anonymous'] }) actor_type: string;
  @ApiProperty({ type: String, nullable: true }) actor_id: string | null;
  @ApiProperty({ type: String, nullable: true }) actor_username: string | null;
  @ApiProperty({ type: String, nullable: true }) target_type: string | null;
  @ApiProperty({ type: String, nullable: true }) target_id: string | null;
  @ApiProperty({ type: String, nullable: true }) ip: string | null;
  @ApiProperty({ enum: ['success', 'failure', 'denied'] }) outcome: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'action-specific facts (never secrets)',
  })
  details: Record<string, unknown> | null;
}

/** GET /api/v1/admin/audit-logs */
export class AuditPageDto {
  @ApiProperty({ type: () => [AuditEntryDto], description: 'newest first' }) items: AuditEntryDto[];
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) per_page: number;
  @ApiProperty({ type: 'integer' }) total: number;
}
