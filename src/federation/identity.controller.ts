import type { AuthUser } from '../common/auth.decorators.js';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, UserAuth } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { IdentityService } from './identity.service.js';
import { LinkAccountDto, MintIdentityTokenDto } from './dto/federation.dto.js';
import { IdentityTokenDto, LinkedSessionDto } from './dto/federation-responses.dto.js';

/** Manual account linking (the one cross-hub path in v1). */
@ApiTags('federation')
@Controller('api/v1')
export class IdentityController {
  constructor(private readonly identity: IdentityService) {}

  @ApiCreatedResponse({ type: IdentityTokenDto })
  @UserAuth({ localOnly: true })
  @Post('me/identity-tokens')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Mint a single-use identity token (≤ 10 min) for one other hub',
    description: 'Carries only your user id and username. Linked accounts cannot mint (trust is not transitive).',
  })
  mint(
    @CurrentUser() u: AuthUser,
    @Body() dto: MintIdentityTokenDto,
    @ClientIp() ip: string,
  ): Promise<IdentityTokenDto> {
    return this.identity.mint(u, dto.audience_hub_id, ip);
  }

  @ApiOkResponse({ type: LinkedSessionDto })
  @Public()
  @Post('auth/link')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Redeem an identity token of a trusted hub: sign in to the linked (shadow) account',
    description:
      'The issuer must be a trusted, unblocked hub; the token must be addressed to this hub, unexpired and unused.',
  })
  link(@Body() dto: LinkAccountDto, @ClientIp() ip: string): Promise<LinkedSessionDto> {
    return this.identity.link(dto.identity_token, ip);
  }
}
