import { ApiProperty } from '@nestjs/swagger';

/** GET /health: liveness and database readiness in one answer (503 `{error, code}` when the database is down). */
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status: string;
  @ApiProperty() live: boolean;
  @ApiProperty() ready: boolean;
  @ApiProperty({ enum: ['up', 'down'] }) db: string;
  @ApiProperty({ type: 'integer', description: 'seconds since the process started' }) uptime_s: number;
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
