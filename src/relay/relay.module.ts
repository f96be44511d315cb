import { RemoteChangeWatch } from './tunnel/remote-changes.js';
import { UsersModule } from '../users/users.module.js';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SharingAccessModule } from '../sharing/sharing-access.module.js';
import { RelaySession } from './entities/relay-session.entity.js';
import { RelaySessionsService } from './relay-sessions.service.js';
import { RelaySessionsRepository } from './relay-sessions.repository.js';
import { TunnelRegistry } from './tunnel/registry.js';
import { RelayGateway } from './tunnel/gateway.js';
import { RelayLimits } from './limits/relay-limits.js';
import { RelayProxyRoute } from './proxy/proxy.route.js';
import { RelayPresence } from '../common/relay-presence.js';
import { CommonModule } from '../common/common.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { ServerAuthModule } from '../servers/server-auth.module.js';
import { RelayLimitsStoreModule } from './limits/relay-limits-store.module.js';
import { OriginProfiles } from './proxy/origin-profile.js';
import { AdmissionCache } from './proxy/admission-cache.js';
import { ShareExpirySweep } from './tunnel/expiry-sweep.js';
import { ServerPortsModule } from '../servers/server-ports.module.js';
import { RelayTraffic } from '../common/ports/relay-traffic.port.js';
import { PeerLinks } from './peer/peer-links.js';
import { ClusterLinkGateway } from './peer/cluster-link.gateway.js';
import { ClusterModule } from '../cluster/cluster.module.js';

/**
 * The relay: server tunnels (WebSocket on the main port and HUB_RELAY_PORT), the live tunnel
 * registry (bound to the RelayPresence port), relay_sessions bookkeeping (and the RelayTraffic port) and HTTP over the tunnel
 * (`/api/v1/servers/{id}/proxy/*`), forwarded one hop to the replica holding the tunnel in cluster
 * mode (src/relay/peer). RelayLimits is the admission/metering hook for quotas.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([RelaySession]),
    SharingAccessModule,
    CommonModule,
    AuditModule,
    AuthModule,
    ServerAuthModule,
    RelayLimitsStoreModule,
    ServerPortsModule,
    UsersModule,
    ClusterModule,
  ],
  providers: [
    RelaySessionsService,
    RelaySessionsRepository,
    TunnelRegistry,
    { provide: RelayPresence, useExisting: TunnelRegistry },
    { provide: RelayTraffic, useExisting: RelaySessionsRepository },
    RelayGateway,
    RelayLimits,
    RelayProxyRoute,
    OriginProfiles,
    AdmissionCache,
    ShareExpirySweep,
    RemoteChangeWatch,
    PeerLinks,
    ClusterLinkGateway,
  ],
  exports: [
    RelayProxyRoute,
    OriginProfiles,
    AdmissionCache,
    RelaySessionsService,
    TunnelRegistry,
    RelayPresence,
    RelayTraffic,
    RelayGateway,
    RelayLimits,
    RelayLimitsStoreModule,
    PeerLinks,
    ClusterLinkGateway,
  ],
})
export class RelayModule {}
