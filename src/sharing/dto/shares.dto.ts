import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { PERMISSIONS } from '../permissions.js';
import type { Permission } from '../permissions.js';

export class CreateShareDto {
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
  @ApiPropertyOptional({ description: 'recipient username (or give email)' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  username?: string;
  @ApiPropertyOptional({ description: 'recipient email (or give username)' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
  @ApiProperty({ enum: PERMISSIONS, description: 'view ⊂ play ⊂ download' }) @IsIn(PERMISSIONS) permission: Permission;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'ISO-8601 date in the future; absent/null = never',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsISO8601({ strict: true })
  expires_at?: string | null;
  @ApiPropertyOptional({
    description: 'let the grantee open raw client channels (only on a whole-server share with download; default false)',
  })
  @IsOptional()
  @IsBoolean()
  allow_raw_channels?: boolean;
}

export class PatchShareDto {
  @ApiPropertyOptional({ enum: PERMISSIONS }) @IsOptional() @IsIn(PERMISSIONS) permission?: Permission;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'ISO-8601 date in the future; null = never' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsISO8601({ strict: true })
  expires_at?: string | null;
  @ApiPropertyOptional({
    description: 'let the grantee open raw client channels (only on a whole-server share with download; default false)',
  })
  @IsOptional()
  @IsBoolean()
  allow_raw_channels?: boolean;
}
