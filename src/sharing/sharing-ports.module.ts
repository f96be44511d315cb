import { Module } from '@nestjs/common';
import { ShareTransferStore } from '../common/ports/share-transfer.port.js';
import { ShareTransferRepository } from './share-transfer.repository.js';

/** What the sharing feature provides to other features (share export and import). */
@Module({
  providers: [{ provide: ShareTransferStore, useClass: ShareTransferRepository }],
  exports: [ShareTransferStore],
})
export class SharingPortsModule {}
