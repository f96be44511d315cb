import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { AuthController, JwksController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { TokensService } from './tokens.service.js';
import { SessionRevocations } from './session-revocations.service.js';
import { LoginThrottle } from './login-throttle.js';
import { AuditLog } from '../audit/entities/audit-log.entity.js';
import { RefreshToken } from './entities/refresh-token.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([RefreshToken, AuditLog]), UsersModule],
  controllers: [AuthController, JwksController],
  providers: [AuthService, TokensService, SessionRevocations, LoginThrottle],
  exports: [TokensService, AuthService, SessionRevocations],
})
export class AuthModule {}
