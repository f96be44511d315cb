import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

export class AdminListSharingQuery {
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) per_page?: number;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') server_id?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'owner or grantee (shares) / owner (invites)' })
  @IsOptional()
  @IsUUID('all')
  user_id?: string;
  @ApiPropertyOptional({ enum: ['active', 'all'], default: 'active' }) @IsOptional() @IsIn(['active', 'all']) status?:
    'active' | 'all';
}
