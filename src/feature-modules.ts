import type { Type } from '@nestjs/common';
import { UsersAdminModule } from './users/users-admin.module.js';
import { ServersModule } from './servers/servers.module.js';
import { SharingModule } from './sharing/sharing.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { AdminOpsModule } from './admin/admin-dashboard.module.js';
import { FederationModule } from './federation/federation.module.js';
import { HubInfoModule } from './hub-info/hub-info.module.js';
import { RelayModule } from './relay/relay.module.js';
import { RelayLimitsModule } from './relay/limits/relay-limits.module.js';
import { RelayClientModule } from './relay/client/relay-client.module.js';
import { WebModule } from './web/web.module.js';
import { MediaLinksModule } from './relay/media-links/media-links.module.js';
import { RelayOriginModule } from './relay/origin/origin.module.js';
import { ClusterModule } from './cluster/cluster.module.js';

/** Feature modules of the hub (each owns its folder under src/); a new feature module is listed here. */
export const FEATURE_MODULES: Type[] = [
  ClusterModule,
  UsersAdminModule,
  ServersModule,
  SharingModule,
  MetricsModule,
  AdminOpsModule,
  FederationModule,
  HubInfoModule,
  RelayModule,
  RelayLimitsModule,
  RelayClientModule,
  MediaLinksModule,
  RelayOriginModule,
  WebModule,
];
