import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { RegisterDto, USERNAME_RE, USERNAME_RULE } from '../../auth/dto/auth.dto.js';
import { NoControlChars, Optional, StrLen } from '../../common/validators.js';

const REGION_RE = /^[a-z0-9-]{1,32}$/;

export class ListUsersQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  per_page?: number;
  @ApiPropertyOptional({ description: 'case-insensitive substring of username, email or display name', maxLength: 100 })
  @Optional()
  @IsString()
  @StrLen(1, 100)
  q?: string;
}

export class AdminCreateUserDto extends RegisterDto {
  @ApiPropertyOptional() @Optional() @IsBoolean() is_admin?: boolean;
  @ApiPropertyOptional({ pattern: REGION_RE.source }) @IsOptional() @IsString() @Matches(REGION_RE) region?: string;
}

/** Every field optional; only the given ones change. */
export class AdminPatchUserDto {
  @ApiPropertyOptional({ description: 'rename (3–50 letters, digits, _ . -)' })
  @Optional()
  @IsString()
  @StrLen(3, 50)
  @Matches(USERNAME_RE, { message: USERNAME_RULE })
  username?: string;
  @ApiPropertyOptional({ maxLength: 254 }) @Optional() @IsString() @StrLen(3, 254) @IsEmail() email?: string;
  @ApiPropertyOptional({ description: 'disabled accounts are refused at once (tokens revoked)' })
  @Optional()
  @IsBoolean()
  disabled?: boolean;
  @ApiPropertyOptional() @Optional() @IsBoolean() is_admin?: boolean;
  @ApiPropertyOptional({
    minLength: 8,
    maxLength: 4096,
    description: 'reset the password (ends every session of the user)',
  })
  @Optional()
  @IsString()
  @StrLen(8, 4096)
  password?: string;
  @ApiPropertyOptional({ maxLength: 100 })
  @Optional()
  @IsString()
  @StrLen(1, 100)
  @NoControlChars()
  display_name?: string;
  @ApiPropertyOptional({ type: String, nullable: true, pattern: REGION_RE.source, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @Matches(REGION_RE)
  region?: string | null;
}
