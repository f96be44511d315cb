import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength, MinLength } from 'class-validator';

export const USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{2,49}$/;

export class RegisterDto {
  @ApiProperty({ example: 'alice', description: '3–50 letters, digits, _ . -' })
  @IsString() @Length(3, 50) @Matches(USERNAME_RE, { message: 'username may use letters, digits, _ . - and must start with a letter or digit' })
  username: string;

  @ApiProperty({ example: 'alice@example.com' })
  @IsString() @MaxLength(254) @IsEmail()
  email: string;

  @ApiProperty({ minLength: 8, maxLength: 4096 })
  @IsString() @MinLength(8) @MaxLength(4096)
  password: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional() @IsString() @Length(1, 100)
  display_name?: string;
}

export class LoginDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 254) username?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 254) email?: string;
  @ApiProperty() @IsString() @Length(1, 4096) password: string;
}

export class RefreshDto {
  @ApiProperty() @IsString() @Length(16, 512) refresh_token: string;
}

export class LogoutDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(16, 512) refresh_token?: string;
}
