import { DynamicModule, Module, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { CommonModule } from './common/common.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { UsersModule } from './users/users.module.js';
import { HealthModule } from './health/health.module.js';
import { FEATURE_MODULES } from './feature-modules.js';

/** The hub. Feature modules are listed in feature-modules.ts. */
@Module({})
export class AppModule {
  static register(extra: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      // ScheduleModule: the SchedulerRegistry that holds the periodic jobs (src/common/periodic.ts)
      imports: [
        ConfigModule,
        ScheduleModule.forRoot(),
        DatabaseModule,
        CommonModule,
        AuditModule,
        UsersModule,
        AuthModule,
        HealthModule,
        ...FEATURE_MODULES,
        ...extra,
      ],
    };
  }
}
