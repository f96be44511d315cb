import type { AuthServer } from '../common/auth.decorators.js';
import { Body, Controller, Delete, Get, Header, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentServer, ServerAuth } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { HubError } from '../common/hub-error.js';
import { uuidPipe } from '../common/pipes.js';
import { assertProtocol } from './wire/payload.js';
import { parseHeartbeat } from './wire/heartbeat.js';
import { HeartbeatService } from './heartbeat.service.js';
import { EnrollmentService } from './enrollment.service.js';
import { ServerReleaseService } from './release.service.js';
import { ServersService } from './servers.service.js';
import { HeartbeatAckDto, ServerReleasedDto, ServerSelfInfoDto } from './dto/server-responses.dto.js';
import { EnrollmentDto } from './dto/claim-responses.dto.js';

/** Routes a media server calls with its enrollment JWT (for that very server only). */
@ApiTags('servers')
@Controller('api/v1/servers')
export class ServerSelfController {
  constructor(
    private readonly heartbeats: HeartbeatService,
    private readonly enrollment: EnrollmentService,
    private readonly release: ServerReleaseService,
    private readonly servers: ServersService,
  ) {}

  private same(s: AuthServer, id: string): void {
    if (s.serverId !== id) throw new HubError('auth.server_mismatch', 'This token belongs to another server');
  }

  @ApiBody({
    schema: {
      type: 'object',
      description: 'shared HeartbeatDto (camelCase) or snake_case; libraries are read leniently',
      example: {
        serverId: '…',
        version: '0.45.0',
        timestamp: 1780000000,
        uptimeSeconds: 3600,
        activeSessions: 2,
        activeTranscodes: 1,
        hostnameCandidates: ['10.0.0.5'],
        libraries: [{ library_id: 'lib-1', library_name: 'Movies' }],
      },
    },
  })
  @ApiOkResponse({ type: HeartbeatAckDto })
  @ServerAuth()
  @Post(':id/heartbeat')
  @HttpCode(200)
  async heartbeat(
    @Headers('accept-phlix-protocol') proto: string | undefined,
    @CurrentServer() s: AuthServer,
    @Param('id', uuidPipe('server.not_found')) id: string,
    @Body() body: unknown,
  ): Promise<HeartbeatAckDto> {
    assertProtocol(proto);
    this.same(s, id);
    await this.heartbeats.limit(s.serverId);
    return this.heartbeats.record(s, parseHeartbeat(body));
  }

  /** Rotate the enrollment JWT: the presented one stops working. */
  @ApiOkResponse({ type: EnrollmentDto })
  @ServerAuth()
  @Post(':id/renew')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  renew(
    @Headers('accept-phlix-protocol') proto: string | undefined,
    @CurrentServer() s: AuthServer,
    @Param('id', uuidPipe('server.not_found')) id: string,
    @ClientIp() ip: string,
  ): Promise<EnrollmentDto> {
    assertProtocol(proto);
    this.same(s, id);
    return this.enrollment.renew(s, ip);
  }

  @ApiOkResponse({ type: ServerSelfInfoDto })
  @ServerAuth()
  @Get(':id/info')
  info(
    @Headers('accept-phlix-protocol') proto: string | undefined,
    @CurrentServer() s: AuthServer,
    @Param('id', uuidPipe('server.not_found')) id: string,
  ): Promise<ServerSelfInfoDto> {
    assertProtocol(proto);
    this.same(s, id);
    return this.servers.selfInfo(id);
  }

  /** The server deregisters itself (e.g. moving to another hub): the hub association ends. */
  @ApiOkResponse({ type: ServerReleasedDto })
  @ServerAuth()
  @Delete(':id')
  @HttpCode(200)
  deregister(
    @Headers('accept-phlix-protocol') proto: string | undefined,
    @CurrentServer() s: AuthServer,
    @Param('id', uuidPipe('server.not_found')) id: string,
    @ClientIp() ip: string,
  ): Promise<ServerReleasedDto> {
    assertProtocol(proto);
    this.same(s, id);
    return this.release.release(id, { reason: 'deregistered' }, { actorType: 'server', actorId: id, ip });
  }
}
