import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HubConfig } from '../config/config.js';
import { CommonModule } from '../common/common.module.js';
import { LocalTunnelDirectory, TunnelDirectory } from '../common/ports/tunnel-directory.port.js';
import { HubNode } from './entities/hub-node.entity.js';
import { HubNodesRepository } from './hub-nodes.repository.js';
import { NodeRegistry } from './node-registry.js';
import { ClusterRedis } from './cluster-redis.js';
import { ClusterBus } from './cluster-bus.js';
import { RedisTunnelDirectory } from './redis-tunnel-directory.js';
import { ClusterController } from './cluster.controller.js';

/**
 * Cluster mode (docs/scaling.md): the replicas' registry (hub_nodes), the Redis connection, the
 * pub/sub bus and the TunnelDirectory port. Without HUB_REDIS_URL every part stays idle, nothing
 * touches Redis and the port is the local, empty directory. Global: the relay and the shutdown path use it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([HubNode]), CommonModule],
  controllers: [ClusterController],
  providers: [
    HubNodesRepository,
    NodeRegistry,
    ClusterRedis,
    ClusterBus,
    RedisTunnelDirectory,
    {
      provide: TunnelDirectory,
      inject: [HubConfig, RedisTunnelDirectory],
      useFactory: (cfg: HubConfig, redis: RedisTunnelDirectory) =>
        cfg.cluster.enabled ? redis : new LocalTunnelDirectory(),
    },
  ],
  exports: [TunnelDirectory, NodeRegistry, ClusterBus],
})
export class ClusterModule {}
