import { Module } from '@nestjs/common';
import { AppModule } from '../app.module.js';
import { CORE_COMMANDS } from './core.commands.js';
import { SERVERS_COMMANDS } from './servers.commands.js';
import { ServersModule } from '../servers/servers.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { FEDERATION_COMMANDS } from './federation.commands.js';
import { FederationModule } from '../federation/federation.module.js';
import { RELAY_COMMANDS } from './relay.commands.js';

/**
 * The CLI (`phlix-hub <command>`): the whole hub module graph without the HTTP listener,
 * plus the command classes. Command classes live only under src/cli/ (nest-commander is
 * CommonJS; keep it out of the modules the HTTP app and the jest suites load).
 * Feature commands: add `src/cli/<feature>.commands.ts` exporting an array, spread it below.
 */
@Module({
  // Import (here) each feature module whose exported services a command uses.
  imports: [AppModule.register(), ServersModule, UsersModule, AuthModule, AuditModule, FederationModule],
  providers: [...CORE_COMMANDS, ...SERVERS_COMMANDS, ...FEDERATION_COMMANDS, ...RELAY_COMMANDS],
})
export class CliModule {}
