import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

export const ADMIN_SERVER_STATUSES = ['online', 'offline', 'claiming', 'disabled', 'released'] as const;

export class ListServersQuery {
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) per_page?: number;
  @ApiPropertyOptional({ description: 'owner user id' }) @IsOptional() @IsUUID() owner?: string;
  @ApiPropertyOptional({ enum: ADMIN_SERVER_STATUSES, description: '"released" = no owner' })
  @IsOptional()
  @IsIn(ADMIN_SERVER_STATUSES as unknown as string[])
  status?: (typeof ADMIN_SERVER_STATUSES)[number];
  @ApiPropertyOptional({ description: 'substring of the server name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
