import { ApiProperty } from '@nestjs/swagger';
import { AuthSessionDto } from '../../auth/dto/auth-responses.dto.js';

/** A peer hub whose identity tokens this hub accepts. */
export class TrustedHubDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() hub_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uri' }) url: string;
  @ApiProperty() blocked: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) blocked_at: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "the peer's public keys as a JWKS ({keys: [...]})",
  })
  jwks: { keys: { kid: string }[] };
  @ApiProperty({ type: [String] }) key_ids: string[];
  @ApiProperty({ type: 'integer', description: 'accounts linked from this hub' }) linked_users: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

/** GET /api/v1/admin/trusted-hubs */
export class TrustedHubListDto {
  @ApiProperty({ type: () => [TrustedHubDto] }) items: TrustedHubDto[];
}

/** POST /api/v1/me/identity-tokens: single use, for one other hub. */
export class IdentityTokenDto {
  @ApiProperty() identity_token: string;
  @ApiProperty({ enum: ['identity'] }) token_type: string;
  @ApiProperty() issuer_hub_id: string;
  @ApiProperty() audience_hub_id: string;
  @ApiProperty({ type: 'integer', description: 'seconds' }) expires_in: number;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
}

export class LinkedAccountDto {
  @ApiProperty({ description: 'the trusted hub the account is linked from' }) hub_id: string;
  @ApiProperty({ description: "the user's id on that hub" }) remote_user_id: string;
  @ApiProperty({ description: 'true when this sign-in created the linked account' }) created: boolean;
}

/** POST /api/v1/auth/link: a session of the linked (shadow) account. */
export class LinkedSessionDto extends AuthSessionDto {
  @ApiProperty({ type: () => LinkedAccountDto }) linked: LinkedAccountDto;
}
