import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { NoControlChars, StrLen } from '../../common/validators.js';

/** What a user may change about themselves (username and email stay with the administrators). */
export class UpdateProfileDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 100,
    description: 'the name other people see (leading and trailing spaces are dropped)',
  })
  @IsString()
  @StrLen(1, 100)
  @NoControlChars()
  display_name: string;
}
