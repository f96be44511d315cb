import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, Matches } from 'class-validator';
import { NoControlChars, Optional, StrLen } from '../../common/validators.js';

export const USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{2,49}$/;
export const USERNAME_RULE = 'username may use letters, digits, _ . - (3–50) and must start with a letter or digit';

export class RegisterDto {
  @ApiProperty({
    example: 'alice',
    description: '3–50 letters, digits, _ . -; starts with a letter or digit',
    minLength: 3,
    maxLength: 50,
  })
  @IsString()
  @StrLen(3, 50)
  @Matches(USERNAME_RE, { message: USERNAME_RULE })
  username: string;

  @ApiProperty({ example: 'alice@example.com', maxLength: 254 })
  @IsString()
  @StrLen(3, 254)
  @IsEmail()
  email: string;

  @ApiProperty({ minLength: 8, maxLength: 4096 })
  @IsString()
  @StrLen(8, 4096)
  password: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @Optional()
  @IsString()
  @StrLen(1, 100)
  @NoControlChars()
  display_name?: string;
}

export class LoginDto {
  @ApiPropertyOptional({ description: 'username or email (one of the two is required)', maxLength: 254 })
  @Optional()
  @IsString()
  @StrLen(1, 254)
  username?: string;

  @ApiPropertyOptional({ maxLength: 254 })
  @Optional()
  @IsString()
  @StrLen(1, 254)
  email?: string;

  @ApiProperty({ maxLength: 4096 })
  @IsString()
  @StrLen(1, 4096)
  password: string;
}

export class RefreshDto {
  @ApiPropertyOptional({
    description:
      'the refresh token; required unless the request asks for a cookie session (X-Phlix-Session: cookie), which uses its refresh cookie',
  })
  @Optional()
  @IsString()
  @StrLen(16, 512)
  refresh_token?: string;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: 'the session to end (its whole refresh-token family is revoked)' })
  @Optional()
  @IsString()
  @StrLen(16, 512)
  refresh_token?: string;
}
