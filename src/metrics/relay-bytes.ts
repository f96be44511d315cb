/**
 * Hot-path hook for relay byte accounting, callable from code that has no DI handle (a Tunnel):
 *   import { recordRelayBytes } from '../../metrics/relay-bytes.js';
 *   recordRelayBytes('in', buf.length);
 * MetricsService installs the sink at start; before that (or in the CLI) calls are no-ops.
 */
export type RelayBytesSink = (direction: 'in' | 'out', n: number) => void;

let sink: RelayBytesSink | null = null;

export function setRelayBytesSink(s: RelayBytesSink | null): void {
  sink = s;
}

export function relayBytesSink(): RelayBytesSink | null {
  return sink;
}

/** `in` = bytes received from servers over tunnels, `out` = bytes sent to servers over tunnels. */
export function recordRelayBytes(direction: 'in' | 'out', n: number): void {
  if (sink !== null) sink(direction, n);
}
