import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../common/auth.decorators.js';
import { HubError } from '../common/hub-error.js';
import { AuditQueryService } from './audit-query.service.js';
import { ListAuditLogsQuery } from './dto/audit-admin.dto.js';
import { AuditPageDto } from './dto/audit-responses.dto.js';

@ApiTags('admin')
@Controller('api/v1/admin/audit-logs')
export class AdminAuditController {
  constructor(private readonly audit: AuditQueryService) {}

  /** Audit trail, newest first; filters combine with AND. */
  @ApiOkResponse({ type: AuditPageDto })
  @AdminAuth()
  @Get()
  list(@Query() q: ListAuditLogsQuery): Promise<AuditPageDto> {
    const since = q.since !== undefined ? Date.parse(q.since) : undefined;
    const until = q.until !== undefined ? Date.parse(q.until) : undefined;
    if (Number.isNaN(since) || Number.isNaN(until)) {
      throw new HubError('request.validation_failed', 'since/until must be ISO-8601 times');
    }
    if (since !== undefined && until !== undefined && since >= until) {
      throw new HubError('request.validation_failed', 'since must be before until');
    }
    return this.audit.list({
      page: q.page,
      perPage: q.per_page,
      action: q.action,
      actorId: q.actor,
      targetId: q.target,
      targetType: q.target_type,
      outcome: q.outcome,
      since,
      until,
    });
  }
}
