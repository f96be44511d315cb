import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthRegistry } from './auth-registry.js';
import { HubAuthGuard } from './auth.guard.js';
import { RateLimitService } from './rate-limit.service.js';
import { HubEvents } from './hub-events.js';
import { HubSettings } from './hub-settings.service.js';
import { RelayPresence } from './relay-presence.js';
import { KeysService } from '../auth/keys.service.js';
import { AccessTokenStrategy } from '../auth/access-token.strategy.js';
import { User } from '../users/entities/user.entity.js';

/** Shared, global providers: the auth guard and its registry, keys, DB-backed rate limits. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [AuthRegistry, HubEvents, HubSettings, RelayPresence, RateLimitService, KeysService, AccessTokenStrategy, HubAuthGuard, { provide: APP_GUARD, useExisting: HubAuthGuard }],
  exports: [AuthRegistry, HubEvents, HubSettings, RelayPresence, RateLimitService, KeysService, AccessTokenStrategy, HubAuthGuard, TypeOrmModule],
})
export class CommonModule {}
