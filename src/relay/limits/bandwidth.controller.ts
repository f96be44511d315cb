import type { AuthUser } from '../../common/auth.decorators.js';
import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminAuth, CurrentUser, UserAuth } from '../../common/auth.decorators.js';
import { ClientIp } from '../../common/client-ip.js';
import { uuidPipe } from '../../common/pipes.js';
import { RelayBandwidthService } from './bandwidth.service.js';
import { PeriodQuery, PutQuotaDto, PutThrottleDto, UsageQuery } from './dto.js';
import { BandwidthDto, RelayUsageOverviewDto } from './bandwidth-responses.dto.js';

/** A user's own relay usage and limits. */
@ApiTags('relay')
@Controller('api/v1/me/bandwidth')
export class MeBandwidthController {
  constructor(private readonly svc: RelayBandwidthService) {}

  @ApiOkResponse({ type: BandwidthDto })
  @UserAuth()
  @Get()
  get(@CurrentUser() me: AuthUser, @Query() q: PeriodQuery): Promise<BandwidthDto> {
    return this.svc.view(me.id, q.period, false);
  }
}

/** Admin: relay usage per user / per server and per-user limits (durable; changes audited). */
@ApiTags('admin')
@Controller('api/v1/admin')
export class AdminRelayController {
  constructor(private readonly svc: RelayBandwidthService) {}

  @ApiOkResponse({ type: RelayUsageOverviewDto })
  @AdminAuth()
  @Get('relay/usage')
  usage(@Query() q: UsageQuery): Promise<RelayUsageOverviewDto> {
    return this.svc.overview(q.period, q.limit ?? 50);
  }

  @ApiOkResponse({ type: BandwidthDto })
  @AdminAuth()
  @Get('users/:id/bandwidth')
  async get(@Param('id', uuidPipe('user.not_found')) id: string, @Query() q: PeriodQuery): Promise<BandwidthDto> {
    await this.svc.assertUser(id);
    return this.svc.view(id, q.period, true);
  }

  @ApiOkResponse({ type: BandwidthDto })
  @AdminAuth()
  @Put('users/:id/quota')
  quota(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('user.not_found')) id: string,
    @Body() dto: PutQuotaDto,
    @ClientIp() ip: string,
  ): Promise<BandwidthDto> {
    return this.svc.set(
      me,
      id,
      { quotaBytesIn: dto.quota_bytes_in, quotaBytesOut: dto.quota_bytes_out, maxStreams: dto.max_concurrent_streams },
      'user.quota.set',
      ip,
    );
  }

  @ApiOkResponse({ type: BandwidthDto })
  @AdminAuth()
  @Put('users/:id/throttle')
  throttle(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('user.not_found')) id: string,
    @Body() dto: PutThrottleDto,
    @ClientIp() ip: string,
  ): Promise<BandwidthDto> {
    return this.svc.set(me, id, { throttleBps: dto.throttle_bps }, 'user.throttle.set', ip);
  }
}
