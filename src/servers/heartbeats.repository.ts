import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ServerHeartbeat } from './entities/server-heartbeat.entity.js';

/** The `server_heartbeats` history: appended per heartbeat, bounded per server and by age. */
@Injectable()
export class HeartbeatsRepository {
  constructor(@InjectRepository(ServerHeartbeat) private readonly heartbeats: Repository<ServerHeartbeat>) {}

  async insert(hb: ServerHeartbeat): Promise<void> {
    await this.heartbeats.insert(hb);
  }

  /** The newest `take` heartbeats of a server, newest first. */
  latest(serverId: string, take: number): Promise<ServerHeartbeat[]> {
    return this.heartbeats.find({ where: { serverId }, order: { receivedAt: 'DESC', id: 'DESC' }, take });
  }

  /** Keep the newest `keep` rows of this server. */
  async keepNewest(serverId: string, keep: number): Promise<void> {
    const cut = await this.heartbeats.find({
      select: { receivedAt: true, id: true },
      where: { serverId },
      order: { receivedAt: 'DESC', id: 'DESC' },
      skip: keep - 1,
      take: 1,
    });
    if (!cut.length) return;
    await this.heartbeats
      .createQueryBuilder()
      .delete()
      .from(ServerHeartbeat)
      .where('server_id = :s AND received_at < :t', { s: serverId, t: cut[0].receivedAt })
      .execute();
  }

  async deleteOf(serverId: string): Promise<void> {
    await this.heartbeats.delete({ serverId });
  }

  async deleteReceivedBefore(t: number): Promise<void> {
    await this.heartbeats
      .createQueryBuilder()
      .delete()
      .from(ServerHeartbeat)
      .where('received_at < :t', { t })
      .execute();
  }
}
