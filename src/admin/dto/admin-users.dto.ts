import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { RegisterDto } from '../../auth/dto/auth.dto.js';

export class ListUsersQuery {
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) per_page?: number;
  @ApiPropertyOptional({ description: 'substring of username, email or display name' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export class AdminCreateUserDto extends RegisterDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_admin?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[a-z0-9-]{1,32}$/) region?: string;
}

export class AdminPatchUserDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_admin?: boolean;
  @ApiPropertyOptional({ minLength: 8 }) @IsOptional() @IsString() @MinLength(8) @MaxLength(4096) password?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) display_name?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @Matches(/^[a-z0-9-]{1,32}$/) region?: string;
}
