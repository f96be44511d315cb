import { Controller, Get, HttpException, Logger } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth.decorators.js';
import { HubError } from '../common/hub-error.js';
import { HealthDto, HealthLiveDto, HealthReadyDto } from './dto/health-responses.dto.js';

const started = Date.now();
/** How long (ms) the database ping may take before the hub counts the database as down. */
export const DB_PING_TIMEOUT_MS = 2000;

@ApiTags('health')
@Controller()
export class HealthController {
  private readonly log = new Logger('Health');

  constructor(
    private readonly ds: DataSource,
    private readonly checks: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  /**
   * Liveness and database readiness in one answer (503 service.unavailable when the database is
   * not reachable). Terminus' own fields (status, info, error, details) come with the hub's.
   */
  @ApiOkResponse({ type: HealthDto })
  @Public()
  @Get('health')
  @HealthCheck({ swaggerDocumentation: false })
  async health(): Promise<HealthDto> {
    const result = await this.check();
    return { ...result, live: true, ready: true, db: 'up', uptime_s: Math.round((Date.now() - started) / 1000) };
  }

  @ApiOkResponse({ type: HealthLiveDto })
  @Public()
  @Get('health/live')
  live(): HealthLiveDto {
    return { status: 'ok', live: true };
  }

  @ApiOkResponse({ type: HealthReadyDto })
  @Public()
  @Get('health/ready')
  async ready(): Promise<HealthReadyDto> {
    await this.check();
    return { status: 'ok', ready: true, db: 'up' };
  }

  /** The database ping through terminus, with a timeout; any failure is the hub's 503. */
  private async check(): Promise<HealthCheckResult> {
    try {
      return await this.checks.check([
        () => this.db.pingCheck('database', { connection: this.ds, timeout: DB_PING_TIMEOUT_MS }),
      ]);
    } catch (e) {
      const detail =
        e instanceof HttpException
          ? JSON.stringify((e.getResponse() as HealthCheckResult).error ?? {})
          : (e as Error).message;
      this.log.warn(`health check failed: ${detail}`);
      throw new HubError('service.unavailable', 'The database is not reachable');
    }
  }
}
