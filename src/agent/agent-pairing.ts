import { AgentState } from './agent-state.js';
import { HubApiError, HubClient } from './hub-client.js';

export interface PairingIo {
  out(line: string): void;
  err(line: string): void;
}

export function sameHubUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}

/**
 * Who a hub is, from its public `GET /api/v1/hub`: its id and public URL together (a default
 * HUB_ID is shared by many hubs; one hub reached by two addresses still names one public URL).
 * Null when it does not answer as a Phlix hub.
 */
export async function hubIdOf(url: string, timeoutMs = 10000): Promise<string | null> {
  try {
    const r = await fetch(`${url.replace(/\/+$/, '')}/api/v1/hub`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!r.ok) return null;
    const j = (await r.json()) as { hub_id?: unknown; public_url?: unknown };
    return typeof j.hub_id === 'string' && j.hub_id
      ? `${j.hub_id} ${typeof j.public_url === 'string' ? j.public_url.replace(/\/+$/, '') : ''}`
      : null;
  } catch {
    return null;
  }
}

/**
 * `--hub` names another hub than the one this agent is paired with: move. The new hub must answer
 * as a Phlix hub first (a mistyped URL must not cost the current pairing); a second address of the
 * same hub (same hub id) keeps the pairing. Otherwise the server is removed from the old hub (when
 * it can be reached) and forgotten here, so the run goes on to pair with the new hub.
 */
export async function moveIfOtherHub(state: AgentState, hubUrl: string, io: PairingIo): Promise<void> {
  const old = state.data.hub_base_url;
  if (!state.enrolled || !old || sameHubUrl(old, hubUrl)) return;
  const newId = await hubIdOf(hubUrl);
  if (!newId) {
    throw new Error(
      `${hubUrl} does not answer as a Phlix hub (GET /api/v1/hub); this agent stays paired with ${old}. Check --hub`,
    );
  }
  const oldId = await hubIdOf(old);
  if (oldId === newId) {
    io.err(`phlix-hub agent: note: ${hubUrl} is the hub this agent is paired with (${old}); keeping the pairing`);
    return;
  }
  const { server_id: id, enrollment_jwt: jwt } = state.data;
  let removed: string;
  try {
    await new HubClient(old).deregister(id!, jwt!);
    removed = `removed server ${id} from ${old}`;
  } catch (e) {
    removed =
      e instanceof HubApiError && e.revoked
        ? `${old} had already let server ${id} go`
        : `could not reach ${old} (${(e as Error).message}): the server stays listed there until its owner releases it under My servers`;
  }
  state.clearEnrollment();
  io.out(`Moving to ${hubUrl}: ${removed}. Pairing with ${hubUrl} now (the key stays the same).`);
}

/** Close reasons and heartbeat codes that mean the hub let this server go (a new pairing is needed). */
export function pairingEnded(why: string): boolean {
  // 'reclaimed': this key paired again elsewhere; that newer pairing is the one to keep
  return !/reclaimed/.test(why);
}

/**
 * After the hub let this server go: forget the pairing (the key stays), so the next run pairs
 * again, unless the state file meanwhile holds another pairing (a newer run with this data dir).
 */
export function forgetEndedPairing(dataDir: string, jwt: string | undefined): boolean {
  const now = AgentState.open(dataDir);
  if (!now.enrolled || now.data.enrollment_jwt !== jwt) return false;
  now.clearEnrollment();
  return true;
}
