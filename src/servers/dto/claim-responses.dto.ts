import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ServerInfoDto } from './server-responses.dto.js';

/*
 * Pairing answers. Older Phlix servers read the pairing doc's snake_case keys, the shared DTOs use
 * camelCase: both spellings are sent, and the twins are built here only, so the docs and the wire
 * cannot disagree.
 */

/** POST /api/v1/server-claims/new (the shared ClaimResponse, with snake_case twins). */
export class ClaimResponseDto {
  @ApiProperty({ example: 'ABCD-EFGH', description: 'the code the owner types in' }) claimCode: string;
  @ApiProperty({ type: 'integer', description: 'seconds' }) expiresIn: number;
  @ApiProperty({ format: 'uuid', description: 'poll secret: GET /api/v1/server-claims/{claimId}' }) claimId: string;
  @ApiProperty({ format: 'uri' }) hubBaseUrl: string;
  @ApiProperty({ description: 'twin of claimCode' }) claim_code: string;
  @ApiProperty({ type: 'integer', description: 'twin of expiresIn' }) expires_in: number;
  @ApiProperty({ format: 'uuid', description: 'twin of claimId' }) claim_id: string;
  @ApiProperty({ format: 'uri', description: 'twin of hubBaseUrl' }) hub_base_url: string;
  @ApiProperty({ type: 'integer', description: 'UNIX seconds' }) expires_at: number;
  @ApiProperty({
    enum: ['pending', 'claimed'],
    description: 'claimed at once when a claim token came with the request',
  })
  status: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'only when claimed by a claim token' }) serverId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'twin of serverId' }) server_id?: string;
}

export interface ClaimFacts {
  code: string;
  expiresIn: number;
  pollSecret: string;
  hubBaseUrl: string;
  /** epoch ms */
  expiresAt: number;
  status: string;
  serverId: string | null;
}

export function claimResponse(c: ClaimFacts): ClaimResponseDto {
  return {
    claimCode: c.code,
    expiresIn: c.expiresIn,
    claimId: c.pollSecret,
    hubBaseUrl: c.hubBaseUrl,
    claim_code: c.code,
    expires_in: c.expiresIn,
    claim_id: c.pollSecret,
    hub_base_url: c.hubBaseUrl,
    expires_at: Math.floor(c.expiresAt / 1000),
    status: c.status,
    ...(c.serverId ? { serverId: c.serverId, server_id: c.serverId } : {}),
  };
}

/** POST /api/v1/server-claims/challenge */
export class ClaimChallengeDto {
  @ApiProperty({ description: 'a signed one-time challenge for keyProof' }) challenge: string;
  @ApiProperty({ type: 'integer', description: 'seconds' }) expires_in: number;
}

/** An enrollment: the server's JWT for its own routes and the tunnel (poll once, renew). */
export class EnrollmentDto {
  @ApiProperty() enrollment_jwt: string;
  @ApiProperty({ type: 'integer', description: 'UNIX seconds' }) expires_at: number;
  @ApiProperty({ type: 'integer', description: 'seconds' }) expires_in: number;
  @ApiProperty({ format: 'uuid' }) server_id: string;
  @ApiProperty({ format: 'uri' }) hub_base_url: string;
  @ApiProperty({ format: 'uri' }) hub_jwks_url: string;
}

/**
 * GET /api/v1/server-claims/{claimId}: `pending` (expires_in, expires_at), `expired`, or `claimed`
 * (server_id; the first poll after the claim also carries the enrollment, in both spellings).
 */
export class ClaimPollDto {
  @ApiProperty({ enum: ['pending', 'claimed', 'expired'] }) status: string;
  @ApiPropertyOptional({ type: 'integer', description: 'pending: seconds left' }) expires_in?: number;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'pending: UNIX seconds; with the enrollment: when the JWT expires',
  })
  expires_at?: number;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) server_id?: string | null;
  @ApiPropertyOptional({ description: 'first poll after the claim only' }) enrollment_jwt?: string;
  @ApiPropertyOptional({ format: 'uri' }) hub_base_url?: string;
  @ApiPropertyOptional({ format: 'uri' }) hub_jwks_url?: string;
  @ApiPropertyOptional({ description: 'twin of enrollment_jwt' }) enrollmentJwt?: string;
  @ApiPropertyOptional({ format: 'uri', description: 'twin of hub_jwks_url' }) hubJwksUrl?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'twin of server_id' }) serverId?: string;
  @ApiPropertyOptional({ format: 'uri', description: 'twin of hub_base_url' }) hubBaseUrl?: string;
}

/** The claimed poll that hands over the enrollment, with its camelCase twins. */
export function claimDelivery(e: EnrollmentDto): ClaimPollDto {
  return {
    status: 'claimed',
    ...e,
    enrollmentJwt: e.enrollment_jwt,
    hubJwksUrl: e.hub_jwks_url,
    serverId: e.server_id,
    hubBaseUrl: e.hub_base_url,
  };
}

/** POST /api/v1/server-claims/claim */
export class ClaimRedeemedDto {
  @ApiProperty({ enum: ['claimed'] }) status: string;
  @ApiProperty({ format: 'uuid' }) server_id: string;
  @ApiProperty() server_name: string;
  @ApiProperty({ format: 'uri' }) hub_jwks_url: string;
  @ApiProperty({ type: () => ServerInfoDto }) server: ServerInfoDto;
}

/** POST /api/v1/me/claim-tokens: shown once. */
export class ClaimTokenDto {
  @ApiProperty({ description: 'present as claimToken on claims/new (or X-Phlix-Claim-Token)' }) claim_token: string;
  @ApiProperty({ type: 'integer', description: 'seconds' }) expires_in: number;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
}
