import { Module } from '@nestjs/common';
import { AuthRegistry } from './auth-registry.js';
import { RateLimitService } from './rate-limit.service.js';
import { HubEvents } from './hub-events.js';
import { HubSettings } from './hub-settings.service.js';
import { HubMetaRepository } from './hub-meta.repository.js';
import { RateLimitsRepository } from './rate-limits.repository.js';

/** Shared providers (imported where needed): the user-check list, hub events, live settings, DB-backed rate limits. */
@Module({
  providers: [AuthRegistry, HubEvents, HubMetaRepository, RateLimitsRepository, HubSettings, RateLimitService],
  exports: [AuthRegistry, HubEvents, HubMetaRepository, HubSettings, RateLimitService],
})
export class CommonModule {}
