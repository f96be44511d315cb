import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, Repository } from 'typeorm';
import { MediaLink } from './media-link.entity.js';

/** SQL of relay_media_links (one row per media link). */
@Injectable()
export class MediaLinksRepository {
  constructor(@InjectRepository(MediaLink) private readonly repo: Repository<MediaLink>) {}

  async insert(row: MediaLink): Promise<void> {
    await this.repo.insert(row);
  }

  findOfUser(id: string, userId: string): Promise<MediaLink | null> {
    return this.repo.findOne({ where: { id, userId } });
  }

  findByTokenHash(tokenHash: string): Promise<MediaLink | null> {
    return this.repo.findOne({ where: { tokenHash } });
  }

  /** Revoke a link unless it already is. */
  async revoke(id: string, now: number): Promise<void> {
    await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: now });
  }

  /** Which of these links are revoked. */
  async revokedAmong(ids: string[]): Promise<string[]> {
    const rows = await this.repo.find({ select: { id: true }, where: { id: In(ids), revokedAt: Not(IsNull()) } });
    return rows.map((r) => r.id);
  }
}
