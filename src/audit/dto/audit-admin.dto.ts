import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class ListAuditLogsQuery {
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  per_page?: number;
  @ApiPropertyOptional({
    description: 'exact action (auth.login_failed), or a prefix ending with "." or "*" (server.*)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_.-]{1,64}\*?$/i)
  action?: string;
  @ApiPropertyOptional({ description: 'actor id (user id, server id, …)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actor?: string;
  @ApiPropertyOptional({ description: 'target id' }) @IsOptional() @IsString() @MaxLength(191) target?: string;
  @ApiPropertyOptional({ description: 'target type (user, server, share, …)' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_.-]{1,32}$/i)
  target_type?: string;
  @ApiPropertyOptional({ enum: ['success', 'failure', 'denied'] })
  @IsOptional()
  @IsIn(['success', 'failure', 'denied'])
  outcome?: string;
  @ApiPropertyOptional({ description: 'ISO-8601 time, inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;
  @ApiPropertyOptional({ description: 'ISO-8601 time, exclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}
