import type { AuthUser } from '../common/auth.decorators.js';
import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, UserAuth } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { assertProtocol } from './wire/payload.js';
import { parseClaimRequest } from './wire/claim-request.js';
import { ClaimsService } from './claims.service.js';
import { ClaimTokensService } from './claim-tokens.service.js';
import { ClaimProofService } from './claim-proof.service.js';
import {
  ClaimChallengeDto,
  ClaimPollDto,
  ClaimRedeemedDto,
  ClaimResponseDto,
  ClaimTokenDto,
} from './dto/claim-responses.dto.js';

/** Pairing (docs/protocol/pairing.md). Every server-claims route requires `Accept-Phlix-Protocol: v1`. */
@ApiTags('servers')
@Controller('api/v1')
export class ServerClaimsController {
  constructor(
    private readonly claims: ClaimsService,
    private readonly tokens: ClaimTokensService,
    private readonly proofs: ClaimProofService,
  ) {}

  /**
   * A media server asks to be claimed: ClaimRequest (camelCase or snake_case) → ClaimResponse.
   * Public. Optional `keyProof: { challenge, signature }` proves possession of the server's private
   * key (docs/protocol/pairing.md); it is required for a key that has proven itself before.
   */
  @ApiBody({
    schema: {
      type: 'object',
      description: 'shared ClaimRequest (camelCase) or pairing-doc snake_case; optional claimToken, optional keyProof',
      example: {
        serverName: "Alice's NAS",
        version: '0.45.0',
        publicKeysJwk: {
          keys: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'k1' }],
        },
        hostnameCandidates: ['10.0.0.5'],
        protocolVersion: 'v1',
      },
    },
  })
  @ApiOkResponse({ type: ClaimResponseDto })
  @Public()
  @Post('server-claims/new')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  start(
    @Headers('accept-phlix-protocol') proto: string | undefined,
    @Headers('x-phlix-claim-token') headerToken: string | undefined,
    @Body() body: unknown,
    @ClientIp() ip: string,
  ): Promise<ClaimResponseDto> {
    assertProtocol(proto);
    return this.claims.start(parseClaimRequest(body, typeof headerToken === 'string' ? headerToken : undefined), ip);
  }

  /** A one-time challenge (120 s) for the key proof on claims/new. */
  @ApiOkResponse({ type: ClaimChallengeDto })
  @Public()
  @Post('server-claims/challenge')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  challenge(
    @Headers('accept-phlix-protocol') proto: string | undefined,
    @ClientIp() ip: string,
  ): Promise<ClaimChallengeDto> {
    assertProtocol(proto);
    return this.proofs.challenge(ip);
  }

  /** The server polls with its claim id (the bearer secret). */
  @ApiOkResponse({ type: ClaimPollDto })
  @Public()
  @Get('server-claims/:claimId')
  @Header('Cache-Control', 'no-store')
  poll(
    @Headers('accept-phlix-protocol') proto: string | undefined,
    @Param('claimId') claimId: string,
  ): Promise<ClaimPollDto> {
    assertProtocol(proto);
    return this.claims.poll(claimId);
  }

  /** A signed-in (local) user redeems the code the server shows. First claim wins. */
  @ApiBody({
    schema: {
      type: 'object',
      required: ['claim_code'],
      properties: { claim_code: { type: 'string', example: 'ABCD-EFGH' } },
    },
  })
  @ApiOkResponse({ type: ClaimRedeemedDto })
  @UserAuth({ localOnly: true })
  @Post('server-claims/claim')
  @HttpCode(200)
  redeem(
    @Headers('accept-phlix-protocol') proto: string | undefined,
    @CurrentUser() u: AuthUser,
    @Body() body: unknown,
    @ClientIp() ip: string,
  ): Promise<ClaimRedeemedDto> {
    assertProtocol(proto);
    return this.claims.redeem(u, body, ip);
  }

  /** Headless claim: a short-lived single-use token a server presents on claims/new. */
  @ApiCreatedResponse({ type: ClaimTokenDto })
  @UserAuth({ localOnly: true })
  @Post('me/claim-tokens')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  createToken(@CurrentUser() u: AuthUser, @ClientIp() ip: string): Promise<ClaimTokenDto> {
    return this.tokens.create(u, ip);
  }
}
