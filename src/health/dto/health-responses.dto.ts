import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** GET /health: liveness and database readiness in one answer (503 `{error, code}` when the database is down). */
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status: string;
  @ApiProperty() live: boolean;
  @ApiProperty() ready: boolean;
  @ApiProperty({ enum: ['up', 'down'] }) db: string;
  @ApiProperty({ type: 'integer', description: 'seconds since the process started' }) uptime_s: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'the checks that passed (terminus)' })
  info?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'the checks that failed (terminus)' })
  error?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'every check (terminus)' })
  details?: Record<string, unknown>;
}

export class HealthLiveDto {
  @ApiProperty({ enum: ['ok'] }) status: string;
  @ApiProperty() live: boolean;
}

export class HealthReadyDto {
  @ApiProperty({ enum: ['ok'] }) status: string;
  @ApiProperty() ready: boolean;
  @ApiProperty({ enum: ['up'] }) db: string;
}
