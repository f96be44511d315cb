import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { HubEvents, type HubEventMap } from '../common/hub-events.js';
import { ClusterRedis } from './cluster-redis.js';

/** One message on the cluster channel: `k` says what it is, `i` who sent it. */
export interface BusMessage {
  k: string;
  i?: string;
  [field: string]: unknown;
}

export type BusListener = (m: BusMessage) => void;

/**
 * Redis pub/sub between replicas (cluster mode): every hub event that has `onAnywhere` handlers is published, and
 * events from the other replicas are handed to the handlers registered with `onAnywhere` (ending
 * streams, dropping cached answers), so a revoke on one replica reaches streams on all of them in
 * one Redis round trip. Publishing also works from a CLI process; listening only in replicas.
 */
@Injectable()
export class ClusterBus implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ClusterBus');
  private readonly listeners: BusListener[] = [];
  private listening = false;

  constructor(
    private readonly redis: ClusterRedis,
    private readonly events: HubEvents,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    if (!this.redis.enabled) return;
    this.events.setRelay((ev, p) => {
      if (this.events.isShared(ev)) this.publish({ k: 'hub', ev, p });
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.redis.enabled || !this.adapterHost.httpAdapter) return;
    const sub = this.redis.subscriber();
    sub.on('message', (_channel: string, raw: string) => this.onRaw(raw));
    await sub.subscribe(this.redis.channel);
    this.listening = true;
  }

  onModuleDestroy(): void {
    this.events.setRelay(null);
    this.listening = false;
  }

  /** Listen to every message of the channel (this process's own included, `i` tells). */
  subscribe(l: BusListener): void {
    this.listeners.push(l);
  }

  publish(m: BusMessage): void {
    const raw = JSON.stringify({ ...m, i: this.redis.instance });
    this.redis.cmd.publish(this.redis.channel, raw).catch((e: Error) => this.log.warn(`publish failed: ${e.message}`));
  }

  private onRaw(raw: string): void {
    if (!this.listening) return;
    let m: BusMessage;
    try {
      m = JSON.parse(raw) as BusMessage;
    } catch {
      return;
    }
    if (!m || typeof m.k !== 'string') return;
    const ev = m.ev;
    if (m.k === 'hub' && m.i !== this.redis.instance && typeof ev === 'string' && this.events.isShared(ev)) {
      void this.events.deliverRemote(ev, m.p as HubEventMap[typeof ev]);
    }
    for (const l of this.listeners) {
      try {
        l(m);
      } catch (e) {
        this.log.error(`listener failed: ${(e as Error).message}`);
      }
    }
  }
}
