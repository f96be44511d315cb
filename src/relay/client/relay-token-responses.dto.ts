import { ApiProperty } from '@nestjs/swagger';

/** POST /api/v1/me/servers/{id}/relay-token: the secret is in this answer only. */
export class RelayTokenIssuedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() token: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type: string;
  @ApiProperty({ format: 'uuid' }) server_id: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ type: 'integer', description: 'seconds' }) expires_in: number;
  @ApiProperty({ format: 'uri', description: 'the raw client channel to open with this token' }) ws_url: string;
}

export class RelayTokenDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) server_id: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_used_at: string | null;
}

/** GET /api/v1/me/relay-tokens: tokens that still work (never the secret). */
export class RelayTokenListDto {
  @ApiProperty({ type: () => [RelayTokenDto] }) tokens: RelayTokenDto[];
}

/** DELETE /api/v1/me/servers/{id}/relay-token */
export class RelayTokensRevokedDto {
  @ApiProperty({ type: 'integer', description: 'how many tokens were revoked (their channels are closed)' })
  revoked: number;
}
