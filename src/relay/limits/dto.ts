import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';
import { Type } from 'class-transformer';

export const MAX_QUOTA_BYTES = 1125899906842624; // 1 PiB
export const MAX_STREAMS = 1000;
export const MIN_THROTTLE_BPS = 64_000;
export const MAX_THROTTLE_BPS = 100_000_000_000;

/** Required field whose value is a non-negative integer, or null (= the hub default). */
const nullableInt = (max: number) => (target: object, key: string) => {
  ValidateIf((_o, v) => v !== null)(target, key);
  IsInt()(target, key);
  Min(0)(target, key);
  Max(max)(target, key);
};

export class PutQuotaDto {
  @ApiProperty({
    nullable: true,
    description: 'bytes per month the user may download through the relay; 0 = unlimited, null = hub default',
    maximum: MAX_QUOTA_BYTES,
  })
  @nullableInt(MAX_QUOTA_BYTES)
  quota_bytes_in: number | null;
  @ApiProperty({
    nullable: true,
    description: 'bytes per month the user may upload through the relay; 0 = unlimited, null = hub default',
    maximum: MAX_QUOTA_BYTES,
  })
  @nullableInt(MAX_QUOTA_BYTES)
  quota_bytes_out: number | null;
  @ApiProperty({
    nullable: true,
    description: 'concurrent relay streams; 0 = unlimited, null = hub default',
    maximum: MAX_STREAMS,
  })
  @nullableInt(MAX_STREAMS)
  max_concurrent_streams: number | null;
}

export class PutThrottleDto {
  @ApiProperty({
    nullable: true,
    description: `bits per second shared by the user's relay streams; 0 = unlimited, null = hub default, else ${MIN_THROTTLE_BPS}–${MAX_THROTTLE_BPS} (Phlix levels 1e6, 3e6, 5e6, 1e7, 2e7, 5e7 all fit)`,
  })
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_THROTTLE_BPS)
  @ValidateIf((_o, v) => v !== null && v !== 0)
  @Min(MIN_THROTTLE_BPS)
  throttle_bps: number | null;
}

export class UsageQuery {
  @ApiPropertyOptional({ description: "UTC month 'YYYY-MM' (default: this month)" })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/)
  period?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class PeriodQuery {
  @ApiPropertyOptional({ description: "UTC month 'YYYY-MM' (default: this month)" })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/)
  period?: string;
}
