import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { AuthController, JwksController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { TokensService } from './tokens.service.js';
import { SessionRevocations } from './session-revocations.service.js';
import { LoginThrottle } from './login-throttle.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { SessionsRepository } from './sessions.repository.js';
import { CommonModule } from '../common/common.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { KeysModule } from './keys.module.js';
import { AccessTokenStrategy } from './access-token.strategy.js';
import { ServerAuthModule } from '../servers/server-auth.module.js';
import { HubAuthGuard } from './auth.guard.js';
import { MePasswordController } from './me-password.controller.js';
import { PasswordChangeService } from './password-change.service.js';
import { CookieSessionResponder } from './cookie-session.responder.js';

/** Sign-up, sign-in, sessions, and the one global guard (users by access token, servers through the ServerVerifier port). */
@Module({
  imports: [
    TypeOrmModule.forFeature([RefreshToken]),
    UsersModule,
    CommonModule,
    AuditModule,
    KeysModule,
    ServerAuthModule,
  ],
  controllers: [AuthController, JwksController, MePasswordController],
  providers: [
    SessionsRepository,
    AuthService,
    CookieSessionResponder,
    PasswordChangeService,
    TokensService,
    SessionRevocations,
    LoginThrottle,
    AccessTokenStrategy,
    HubAuthGuard,
    { provide: APP_GUARD, useExisting: HubAuthGuard },
  ],
  exports: [TokensService, AuthService, SessionRevocations, HubAuthGuard, KeysModule],
})
export class AuthModule {}
