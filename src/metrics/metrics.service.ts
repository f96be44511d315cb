import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RelayPresence } from '../common/relay-presence.js';
import { AuditService, type AuditAction, type AuditOutcome } from '../audit/audit.service.js';
import { installHttpMetrics } from './http-metrics.js';
import { DbStatsCollector } from './db-stats.collector.js';
import { relayBytesSink, setRelayBytesSink, type RelayBytesSink } from './relay-bytes.js';

const ACTION_RE = /^[a-z][a-z0-9_.-]{0,63}$/;

/** Label values: bounded unions defined here, never data. */
export type LoginOutcome = 'success' | 'failure' | 'denied';
export type ClaimOutcome = 'success' | 'failure';
export type AuditOutcomeLabel = AuditOutcome | 'other';
export type RelayDirection = 'in' | 'out';

/**
 * Prometheus metrics of this hub process. Labels are bounded, code-defined values only
 * (route templates, methods, status codes, outcomes): never ids, usernames, IPs or raw URLs.
 * Others may call the small counting API (`addRelayBytes`, `heartbeat`); logins (`auth.login`,
 * `auth.login_failed`), claims (`server.claimed`, `server.claim_failed`) and every audited act are
 * counted from AuditService records.
 */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  private readonly inflight = { api: 0, stream: 0 };
  private readonly sink: RelayBytesSink = (d, n) => this.addRelayBytes(d, n);

  readonly httpDuration = new Histogram({
    name: 'phlix_hub_http_request_duration_seconds',
    help: 'HTTP request latency by route template (relay proxy streams excluded, see phlix_hub_relay_proxy_*)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly proxyDuration = new Histogram({
    name: 'phlix_hub_relay_proxy_duration_seconds',
    help: 'Duration of relayed client requests and streams (their own histogram: streams last minutes)',
    labelNames: ['status_class'] as const,
    buckets: [0.05, 0.25, 1, 5, 30, 120, 600, 1800, 3600],
    registers: [this.registry],
  });
  private readonly inflightGauge = new Gauge({
    name: 'phlix_hub_http_requests_in_flight',
    help: 'HTTP requests being served',
    labelNames: ['kind'] as const,
    registers: [this.registry],
    collect: () => {
      this.inflightGauge.set({ kind: 'api' }, this.inflight.api);
      this.inflightGauge.set({ kind: 'relay_proxy' }, this.inflight.stream);
    },
  });
  readonly relayBytes = new Counter({
    name: 'phlix_hub_relay_bytes_total',
    help: 'Bytes carried by the relay',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  readonly logins = new Counter({
    name: 'phlix_hub_logins_total',
    help: 'Password logins by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly claims = new Counter({
    name: 'phlix_hub_claims_total',
    help: 'Server claims by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly heartbeats = new Counter({
    name: 'phlix_hub_heartbeats_total',
    help: 'Server heartbeats accepted',
    registers: [this.registry],
  });
  readonly auditEvents = new Counter({
    name: 'phlix_hub_audit_events_total',
    help: 'Audited acts by action and outcome',
    labelNames: ['action', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly presence: RelayPresence,
    private readonly audit: AuditService,
    private readonly dbStats: DbStatsCollector,
  ) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'phlix_hub_relay_tunnels_active',
      help: 'Open server tunnels',
      registers: [this.registry],
      collect() {
        this.set(presence.activeTunnels());
      },
    });
    new Gauge({
      name: 'phlix_hub_relay_streams_active',
      help: 'Open relayed client streams',
      registers: [this.registry],
      collect() {
        this.set(presence.activeStreams());
      },
    });
    this.dbStats.register(this.registry);
  }

  onModuleInit(): void {
    this.audit.subscribe((e) => this.onAudit(e.action, e.outcome));
    const fastify = this.adapterHost.httpAdapter?.getInstance?.();
    if (fastify && typeof fastify.addHook === 'function') installHttpMetrics(fastify, this);
    setRelayBytesSink(this.sink);
  }

  onModuleDestroy(): void {
    if (relayBytesSink() === this.sink) setRelayBytesSink(null);
  }

  /** Relay bytes (`in` = from servers, `out` = to servers); also reachable as recordRelayBytes() in relay-bytes.ts. */
  addRelayBytes(direction: RelayDirection, n: number): void {
    if (n > 0 && Number.isFinite(n)) this.relayBytes.inc({ direction }, n);
  }

  heartbeat(): void {
    this.heartbeats.inc();
  }

  /** In-flight HTTP requests (api) and relayed proxy requests/streams (stream). */
  inFlight(): { api: number; stream: number } {
    return { ...this.inflight };
  }

  /** @internal used by the HTTP hooks */
  track(kind: 'api' | 'stream', delta: 1 | -1): void {
    this.inflight[kind] = Math.max(0, this.inflight[kind] + delta);
  }

  private onAudit(action: AuditAction, outcome: AuditOutcome): void {
    const o: AuditOutcomeLabel =
      outcome === 'success' || outcome === 'failure' || outcome === 'denied' ? outcome : 'other';
    this.auditEvents.inc({ action: ACTION_RE.test(action) ? action : 'other', outcome: o });
    const login: LoginOutcome | null =
      action === 'auth.login'
        ? 'success'
        : action === 'auth.login_failed'
          ? o === 'denied'
            ? 'denied'
            : 'failure'
          : null;
    if (login) this.logins.inc({ outcome: login });
    const claim: ClaimOutcome | null =
      action === 'server.claimed'
        ? o === 'success'
          ? 'success'
          : 'failure'
        : action === 'server.claim_failed'
          ? 'failure'
          : null;
    if (claim) this.claims.inc({ outcome: claim });
  }
}
