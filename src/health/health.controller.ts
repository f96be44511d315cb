import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth.decorators.js';
import { HubError } from '../common/hub-error.js';
import { HealthDto, HealthLiveDto, HealthReadyDto } from './dto/health-responses.dto.js';

const started = Date.now();

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly ds: DataSource) {}

  /** Liveness and database readiness in one answer (503 when the database is not reachable). */
  @ApiOkResponse({ type: HealthDto })
  @Public() @Get('health')
  async health(): Promise<HealthDto> {
    const db = await this.dbOk();
    const body = { status: db ? 'ok' : 'degraded', live: true, ready: db, db: db ? 'up' : 'down', uptime_s: Math.round((Date.now() - started) / 1000) };
    if (!db) throw new HubError('service.unavailable', 'The database is not reachable');
    return body;
  }

  @ApiOkResponse({ type: HealthLiveDto })
  @Public() @Get('health/live')
  live(): HealthLiveDto {
    return { status: 'ok', live: true };
  }

  @ApiOkResponse({ type: HealthReadyDto })
  @Public() @Get('health/ready')
  async ready(): Promise<HealthReadyDto> {
    if (!(await this.dbOk())) throw new HubError('service.unavailable', 'The database is not reachable');
    return { status: 'ok', ready: true, db: 'up' };
  }

  private async dbOk(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.ds.query('SELECT 1'),
        new Promise((_, rej) => {
          timer = setTimeout(() => rej(new Error('timeout')), 2000);
          timer.unref();
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
