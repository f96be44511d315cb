import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { api } from './api/client';
import * as session from './api/session';
import type { AuthAnswer, HubInfo, User } from './api/types';

interface Auth {
  /** undefined while a stored session is being resumed */
  user: User | null | undefined;
  hub: HubInfo | null;
  signIn(login: string, password: string): Promise<void>;
  signUp(body: { username: string; email: string; password: string; display_name?: string }): Promise<void>;
  signOut(): Promise<void>;
  /** start a session from an answer that carries tokens (e.g. signing in with a linked account) */
  adopt(a: AuthAnswer): void;
  /** the signed-in user changed (e.g. a new display name) */
  setUser(u: User): void;
}

const AuthCtx = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(session.hasSession() ? undefined : null);
  const [hub, setHub] = useState<HubInfo | null>(null);

  useEffect(() => session.onEnd(() => setUser(null)), []);
  useEffect(() => {
    api.get<HubInfo>('/api/v1/hub').then(setHub, () => setHub(null));
    if (session.hasSession()) {
      api.get<User>('/api/v1/me').then(setUser, () => {
        session.end();
        setUser(null);
      });
    }
  }, []);

  const signIn = useCallback(async (login: string, password: string) => {
    const body = login.includes('@') ? { email: login, password } : { username: login, password };
    const a = await api.post<AuthAnswer>('/api/v1/auth/login', { body });
    session.start(a);
    setUser(a.user);
  }, []);
  const signUp = useCallback(
    async (body: { username: string; email: string; password: string; display_name?: string }) => {
      const a = await api.post<AuthAnswer>('/api/v1/auth/register', { body });
      session.start(a);
      setUser(a.user);
    },
    [],
  );
  const signOut = useCallback(async () => {
    const refresh = session.end();
    if (refresh) await api.post('/api/v1/auth/logout', { body: { refresh_token: refresh } }).catch(() => undefined);
    setUser(null);
  }, []);

  const adopt = useCallback((a: AuthAnswer) => {
    session.start(a);
    setUser(a.user);
  }, []);

  return <AuthCtx.Provider value={{ user, hub, signIn, signUp, signOut, adopt, setUser }}>{children}</AuthCtx.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthCtx);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}

/** Screens for signed-in users: others go to sign in and come back here after. */
export function RequireUser({ children, admin }: { children: ReactNode; admin?: boolean }) {
  const { user } = useAuth();
  const loc = useLocation();
  if (user === undefined) return <p aria-live="polite">Signing you in…</p>;
  if (!user) return <Navigate to={`/signin?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  if (admin && !user.is_admin) {
    return (
      <p className="error" role="alert">
        This page is for the hub's administrators.
      </p>
    );
  }
  return <>{children}</>;
}

/** Where to go after signing in: the `next` parameter when it is a path on this site, else My servers. */
export function nextPath(search: string): string {
  const n = new URLSearchParams(search).get('next');
  return n && n.startsWith('/') && !n.startsWith('//') ? n : '/servers';
}
