import { Module } from '@nestjs/common';
import { KeysService } from './keys.service.js';

/** The hub's signing keys and JWKS; imported by every feature that signs or verifies hub tokens. */
@Module({
  providers: [KeysService],
  exports: [KeysService],
})
export class KeysModule {}
