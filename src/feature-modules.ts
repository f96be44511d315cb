import type { Type } from '@nestjs/common';
import { AdminModule } from './admin/admin.module.js';

/** Feature modules of the hub (each owns its folder under src/). Add yours here. */
export const FEATURE_MODULES: Type[] = [AdminModule];
