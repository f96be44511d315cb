import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { HubConfig } from '../config/config.js';

/** The name of the database in a mysql:// URL (keys of hubs sharing one Redis stay apart by it). */
function databaseOf(url: string | undefined): string {
  if (!url) return 'sqlite';
  try {
    return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'db';
  } catch {
    return 'db';
  }
}

/**
 * The shared Redis of a cluster: one connection for commands (opened on first use, so a CLI
 * command that only publishes costs one connection) and, for replicas that serve HTTP, one for
 * subscriptions. Every key and channel starts with `phlix:<HUB_ID>:<database>:`.
 */
@Injectable()
export class ClusterRedis implements OnModuleDestroy {
  private readonly log = new Logger('ClusterRedis');
  readonly prefix: string;
  /** who sent a bus message: node id plus this process (a CLI run on a replica's box is not that replica) */
  readonly instance: string;
  private cmdClient: Redis | null = null;
  private subClient: Redis | null = null;

  constructor(private readonly cfg: HubConfig) {
    this.prefix = `phlix:${cfg.hub.id}:${databaseOf(cfg.db.url)}:`;
    this.instance = `${cfg.cluster.nodeId}/${process.pid}/${randomBytes(4).toString('hex')}`;
  }

  get enabled(): boolean {
    return this.cfg.cluster.enabled;
  }

  /** the pub/sub channel every replica listens on */
  get channel(): string {
    return `${this.prefix}events`;
  }

  key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  get cmd(): Redis {
    if (!this.cmdClient) this.cmdClient = this.connect('commands');
    return this.cmdClient;
  }

  /** A connection in subscriber mode (one per process). */
  subscriber(): Redis {
    if (!this.subClient) this.subClient = this.connect('subscriber');
    return this.subClient;
  }

  private connect(role: string): Redis {
    const r = new Redis(this.cfg.cluster.redisUrl!, {
      maxRetriesPerRequest: 3,
      enableOfflineQueue: true,
      connectionName: `phlix-hub:${role}`,
      retryStrategy: (n) => Math.min(200 * n, 2000),
    });
    let warned = false;
    r.on('error', (e: Error) => {
      if (warned) return;
      warned = true; // one line per outage, not one per retry
      this.log.warn(`redis ${role}: ${e.message}`);
    });
    r.on('ready', () => {
      if (warned) this.log.log(`redis ${role}: connected again`);
      warned = false;
    });
    return r;
  }

  async onModuleDestroy(): Promise<void> {
    const all = [this.subClient, this.cmdClient].filter((c): c is Redis => !!c);
    this.subClient = this.cmdClient = null;
    // quit() answers once the commands already sent are done: a CLI's last publish is not lost
    await Promise.all(all.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
