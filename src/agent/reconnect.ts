/** DISCONNECTED reason (and close reason) of a hub that is shutting down and lets its tunnels go. */
export const HUB_DRAINING = 'hub_draining';
/** WebSocket close code "service restart": the hub goes away, reconnect at once */
export const CLOSE_SERVICE_RESTART = 1012;
/** after our own enrollment renewal the hub closes the tunnel: back almost at once, with the new token */
const RENEWED_DELAY_MS = 50;

/** Close reasons after which reconnecting is pointless: this server is no longer enrolled here. */
export function isFatalClose(reason: string): boolean {
  return reason === 'server_released' || /^server\.(unclaimed|released|deregistered|reclaimed)$/.test(reason);
}

/** The hub asks us to move elsewhere: a DISCONNECTED `hub_draining` notice, or a close 1012. */
export function isDrainSignal(reason: string, code?: number): boolean {
  return reason === HUB_DRAINING || code === CLOSE_SERVICE_RESTART;
}

export interface TunnelEnd {
  reason: string;
  /** WebSocket close code, when the tunnel was closed (absent: the connection never opened) */
  code?: number;
  /** the tunnel had been up (HELLO_ACK received) */
  wasUp: boolean;
}

/**
 * What to do after a tunnel ended (or failed to come up):
 *  - 'stop': the enrollment is gone (the agent stops and asks to be paired again);
 *  - a number: reconnect after that many ms, no backoff (a draining hub, our own renewal);
 *  - 'backoff': an ordinary failure, reconnect after the next jittered backoff delay.
 * A draining hub that refuses the new tunnel too (the load balancer sent it back to the same
 * replica) is an ordinary failure: only a tunnel that was up is replaced at once, so a hub
 * that keeps refusing is met with the backoff, never a tight loop.
 */
export function reconnectChoice(end: TunnelEnd): 'stop' | 'backoff' | number {
  if (isFatalClose(end.reason)) return 'stop';
  if (end.reason === 'enrollment_changed') return RENEWED_DELAY_MS;
  if (end.wasUp && isDrainSignal(end.reason, end.code)) return 0;
  return 'backoff';
}
