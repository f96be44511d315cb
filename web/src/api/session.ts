/**
 * The browser's session with the hub, and the only module that knows how it is held.
 *
 * A cookie session: sign-in, sign-up and refresh are sent with `X-Phlix-Session: cookie`, so the hub
 * keeps the tokens in HttpOnly cookies that no script can read; the page only reads the CSRF cookie
 * and echoes it in X-CSRF-Token on requests that change something. The rest of the app only calls
 * requestHeaders(), refresh(), start(), end() and hasSession().
 */
const CSRF_COOKIE = 'phlix_csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

let refreshing: Promise<boolean> | null = null;
let ending: Promise<void> | null = null;
const listeners = new Set<() => void>();

function csrfToken(): string | null {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE && rest.length) return rest.join('=');
  }
  return null;
}

function headersFor(method: string): Record<string, string> {
  const h: Record<string, string> = { 'X-Phlix-Session': 'cookie' };
  const csrf = csrfToken();
  if (csrf && !SAFE.has(method.toUpperCase())) h['X-CSRF-Token'] = csrf;
  return h;
}

/** Whether there is a session to resume (the hub left its CSRF cookie). */
export function hasSession(): boolean {
  return csrfToken() !== null;
}

/** A sign-in, sign-up or refresh answered: the hub has set the session cookies already. */
export function start(_answer?: unknown): void {
  /* nothing to keep: the tokens are in HttpOnly cookies */
}

/**
 * End the session: the hub revokes it and clears its cookies (requests wait for that, so a new
 * sign-in right after is never undone by it). Returns null: there is no token left to revoke.
 */
export function end(): string | null {
  if (csrfToken() && !ending) {
    ending = fetch('/api/v1/auth/logout', {
      method: 'POST',
      headers: { Accept: 'application/json', ...headersFor('POST') },
      credentials: 'same-origin',
    })
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => (ending = null));
  }
  listeners.forEach((l) => l());
  return null;
}

/** Called when the session ends (signed out, or the hub refused to renew it). */
export function onEnd(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Headers an API call adds: the session mode, and the CSRF token when the method changes something. */
export async function requestHeaders(method: string): Promise<Record<string, string>> {
  if (ending) await ending;
  return headersFor(method);
}

/** Renew the session from its refresh cookie (one request at a time); false = the session is over. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    if (!csrfToken()) return false;
    try {
      const r = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headersFor('POST') },
        body: '{}',
        credentials: 'same-origin',
      });
      if (r.ok) return true;
      if (r.status === 401 || r.status === 403 || r.status === 400) end();
      return false;
    } catch {
      return false; // offline: the cookies stay for the next try
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}
