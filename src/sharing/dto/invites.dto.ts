import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { PERMISSIONS } from '../permissions.js';
import type { Permission } from '../permissions.js';

export const DEFAULT_INVITE_TTL = 604800;
/** ten years: "never" is 0 */
export const MAX_INVITE_TTL = 315360000;

export class CreateInviteDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') server_id: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "the server's library id; null or absent = the whole server",
  })
  @IsOptional()
  @IsString()
  @Length(1, 191)
  library_id?: string | null;
  @ApiProperty({ enum: PERMISSIONS }) @IsIn(PERMISSIONS) permission: Permission;
  @ApiPropertyOptional({ minimum: 1, maximum: 99, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(99)
  max_uses?: number;
  @ApiPropertyOptional({ description: 'seconds until the link expires; 0 = never', default: DEFAULT_INVITE_TTL })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INVITE_TTL)
  expires_in?: number;
}
