import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { StrLen } from '../../common/validators.js';

export class ChangePasswordDto {
  @ApiProperty({ maxLength: 4096, description: 'the password the account has now' })
  @IsString()
  @StrLen(1, 4096)
  current_password: string;

  @ApiProperty({ minLength: 8, maxLength: 4096, description: 'at least 8 characters, not the current one' })
  @IsString()
  @StrLen(8, 4096)
  new_password: string;
}

export class PasswordChangedDto {
  @ApiProperty({ example: true }) changed: boolean;
  @ApiProperty({
    description: "the account's other sessions (refresh-token families) that were ended; this one stays signed in",
  })
  sessions_ended: number;
}
