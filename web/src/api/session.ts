/**
 * The browser's session with the hub, and the only module that touches tokens.
 *
 * Today it uses the Bearer API: the access token lives in memory only (gone on reload) and the
 * refresh token in sessionStorage (this tab only, gone when the tab closes); a reload trades the
 * refresh token for a fresh pair. An HttpOnly cookie session can replace this module later without
 * changing any screen: the rest of the app only calls authorization(), refresh(), start() and end().
 */
const REFRESH_KEY = 'phlix-hub.refresh';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

function storedRefresh(): string | null {
  try {
    return sessionStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

function store(refresh: string | null): void {
  try {
    if (refresh) sessionStorage.setItem(REFRESH_KEY, refresh);
    else sessionStorage.removeItem(REFRESH_KEY);
  } catch {
    /* storage unavailable: the session lasts until reload */
  }
}

/** Whether there is a session to resume (a refresh token is held). */
export function hasSession(): boolean {
  return accessToken !== null || storedRefresh() !== null;
}

/** Keep the tokens of a sign-in, sign-up or refresh. */
export function start(t: TokenPair): void {
  accessToken = t.access_token;
  store(t.refresh_token);
}

/** Forget the session locally; returns the refresh token so the caller can revoke it on the hub. */
export function end(): string | null {
  const r = storedRefresh();
  accessToken = null;
  store(null);
  listeners.forEach((l) => l());
  return r;
}

/** Called when the session ends (signed out, or the hub refused the refresh token). */
export function onEnd(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The Authorization header value for an API call, or null when signed out. */
export async function authorization(): Promise<string | null> {
  if (!accessToken && storedRefresh()) await refresh();
  return accessToken ? `Bearer ${accessToken}` : null;
}

/** Trade the refresh token for a new pair (one request at a time); false = the session is over. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const token = storedRefresh();
    if (!token) return false;
    try {
      const r = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refresh_token: token }),
      });
      if (r.ok) {
        start((await r.json()) as TokenPair);
        return true;
      }
      if (r.status === 401 || r.status === 403 || r.status === 400) end();
      return false;
    } catch {
      return false; // offline: keep the refresh token for the next try
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}
