import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { HubConfig } from '../config/config.js';
import { AdminAuth } from '../common/auth.decorators.js';
import { NodeRegistry } from './node-registry.js';

export class ClusterNodeDto {
  @ApiProperty({ description: 'HUB_RELAY_NODE, else host:port of HUB_NODE_URL' }) id: string;
  @ApiProperty({ description: 'internal address (HUB_NODE_URL)' }) url: string;
  @ApiProperty({ enum: ['up', 'draining', 'stopped'] }) state: string;
  @ApiProperty({ description: 'heartbeat within the last three intervals' }) live: boolean;
  @ApiProperty({ format: 'date-time' }) started_at: string;
  @ApiProperty({ format: 'date-time' }) seen_at: string;
}

export class ClusterDto {
  @ApiProperty({ description: 'true when HUB_REDIS_URL is set' }) enabled: boolean;
  @ApiProperty({ description: 'the replica that answered ("" on a single hub)' }) node_id: string;
  @ApiProperty({ type: [ClusterNodeDto] }) nodes: ClusterNodeDto[];
}

@ApiTags('admin')
@Controller('api/v1/admin/cluster')
export class ClusterController {
  constructor(
    private readonly cfg: HubConfig,
    private readonly registry: NodeRegistry,
  ) {}

  /** The replicas of this hub and whether each is alive (a single hub lists none). */
  @ApiOkResponse({ type: ClusterDto })
  @AdminAuth()
  @Get()
  async cluster(): Promise<ClusterDto> {
    if (!this.cfg.cluster.enabled) return { enabled: false, node_id: '', nodes: [] };
    const nodes = await this.registry.nodes();
    return {
      enabled: true,
      node_id: this.cfg.cluster.nodeId,
      nodes: nodes.map((n) => ({
        id: n.id,
        url: n.url,
        state: n.state,
        live: n.live,
        started_at: new Date(n.startedAt).toISOString(),
        seen_at: new Date(n.seenAt).toISOString(),
      })),
    };
  }
}
