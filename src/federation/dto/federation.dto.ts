import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { HUB_ID_RE } from '../jwks.js';

export class MintIdentityTokenDto {
  @ApiProperty({
    example: 'hub-b',
    description: 'HUB_ID of the hub the token will be presented to (its only audience)',
  })
  @IsString()
  @Length(1, 128)
  @Matches(HUB_ID_RE, { message: 'audience_hub_id may use letters, digits and . _ : -' })
  audience_hub_id: string;
}

export class LinkAccountDto {
  @ApiProperty({
    description: 'identity token minted by your home hub for this hub (POST /api/v1/me/identity-tokens there)',
  })
  @IsString()
  @Length(16, 8192)
  identity_token: string;
}
