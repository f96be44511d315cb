import { Module } from '@nestjs/common';
import { ServerVerifier } from '../common/server-verifier.js';
import { CommonModule } from '../common/common.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { KeysModule } from '../auth/keys.module.js';
import { UsersModule } from '../users/users.module.js';
import { ServersStoreModule } from './servers-store.module.js';
import { EnrollmentService } from './enrollment.service.js';

/**
 * Enrollment JWTs and the ServerVerifier port bound to them. A module of its own so that the
 * guard (auth) and the relay handshake can verify servers without depending on the rest of servers.
 */
@Module({
  imports: [ServersStoreModule, UsersModule, CommonModule, AuditModule, KeysModule],
  providers: [EnrollmentService, { provide: ServerVerifier, useExisting: EnrollmentService }],
  exports: [EnrollmentService, ServerVerifier],
})
export class ServerAuthModule {}
