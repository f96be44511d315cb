import { applyDecorators, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth.decorators.js';
import { HubError } from '../common/hub-error.js';

/** Where the 501 answers point (relative: the hub's own API docs, federation section). */
export const FEDERATION_DOCS_LINK = '</api/docs#/federation>; rel="help"';

const STUB_DESCRIPTION =
  'Reserved for hub-to-hub federation, which is NOT implemented in v1. Always answers 501 ' +
  '{error, code: "federation.not_implemented"} with a Link header to the documentation, for every caller; ' +
  'nothing is looked up. Manual account linking (POST /api/v1/auth/link) is the only cross-hub path.';

function notImplemented(): never {
  throw new HubError(
    'federation.not_implemented',
    'Hub-to-hub federation is not implemented in this version of Phlix Hub',
    501,
    { Link: FEDERATION_DOCS_LINK },
  );
}

const Stub = (summary: string) =>
  applyDecorators(
    Public(),
    HttpCode(501),
    ApiOperation({ summary: `${summary} (not implemented in v1)`, description: STUB_DESCRIPTION, deprecated: true }),
    ApiResponse({
      status: 501,
      description: 'federation.not_implemented (with a Link header to the docs)',
      schema: {
        type: 'object',
        required: ['error', 'code'],
        properties: { error: { type: 'string' }, code: { type: 'string', enum: ['federation.not_implemented'] } },
      },
    }),
  );

/**
 * The future hub-to-hub API, registered but disabled: no dependencies, no lookups, the same
 * answer for everyone (authenticated or not, any hub id), so nothing is revealed.
 */
@ApiTags('federation')
@Controller('api/v1')
export class FederationStubsController {
  @Stub('List the servers of a hub')
  @Get('hubs/:hubId/servers')
  @ApiParam({ name: 'hubId', type: String })
  servers(): never {
    return notImplemented();
  }

  @Stub('List the users of a hub')
  @Get('hubs/:hubId/users')
  @ApiParam({ name: 'hubId', type: String })
  users(): never {
    return notImplemented();
  }

  @Stub('List the shared libraries of a hub')
  @Get('hubs/:hubId/libraries')
  @ApiParam({ name: 'hubId', type: String })
  libraries(): never {
    return notImplemented();
  }

  @Stub('Announce this hub as a federation peer')
  @Post('federation/peers')
  peers(): never {
    return notImplemented();
  }
}
