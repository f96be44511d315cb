import { Global, Module } from '@nestjs/common';
import { HubConfig, loadConfig } from './config.js';
import { Clock } from '../common/clock.js';

/** Global: HubConfig (validated env) and the Clock. Tests override both. */
@Global()
@Module({
  providers: [{ provide: HubConfig, useFactory: () => loadConfig(process.env) }, Clock],
  exports: [HubConfig, Clock],
})
export class ConfigModule {}
