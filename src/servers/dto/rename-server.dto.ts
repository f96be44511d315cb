import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { NoControlChars, StrLen } from '../../common/validators.js';

export class RenameServerDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 255,
    example: 'Living room',
    description: 'the name shown to you and to the people you share with',
  })
  @IsString()
  @StrLen(1, 255)
  @NoControlChars()
  name: string;
}
