import { Injectable } from '@nestjs/common';
import { HubConfig } from '../../config/config.js';
import { HubError } from '../../common/hub-error.js';

export type RelayAction = 'browse' | 'play' | 'download';

/** What a stream is, as the limits see it at admission. */
export interface RelayStreamInfo {
  userId: string;
  serverId: string;
  role: 'owner' | 'grantee';
  action: RelayAction;
  method: string;
  path: string;
}

/** Admission ticket of one stream. */
export interface StreamLease {
  /**
   * Bytes that moved: 'down' = server → client (response body), 'up' = client → server (request body).
   * Returns how many ms the stream should pause before moving more (a throttle); 0 = go on.
   * Called on the hot path: keep it cheap (accumulate, flush elsewhere).
   */
  meter(direction: 'up' | 'down', bytes: number): number;
  /** The stream ended (any way). Called exactly once. */
  release(): void;
}

/**
 * The relay's limits hook: called once per proxied request before anything is sent to the
 * server (throw a HubError such as 503 relay.stream_limit / 429 to refuse), then metered per
 * body chunk. The default only caps concurrent streams hub-wide (HUB_MAX_RELAY_SESSIONS);
 * quotas, per-user stream caps and throttles plug in here.
 */
@Injectable()
export class RelayLimits {
  private active = 0;

  constructor(private readonly cfg: HubConfig) {}

  get activeStreams(): number {
    return this.active;
  }

  async admit(info: RelayStreamInfo): Promise<StreamLease> {
    void info;
    if (this.active >= this.cfg.maxRelaySessions) {
      throw new HubError('relay.stream_limit', 'Too many relay streams are active; try again shortly', undefined, { 'Retry-After': '5' });
    }
    this.active++;
    let released = false;
    return {
      meter: () => 0,
      release: () => {
        if (released) return;
        released = true;
        this.active--;
      },
    };
  }
}
