/**
 * A small typed client for the hub's API. Paths, path/query parameters and request bodies are checked
 * against schema.d.ts (generated from the hub's OpenAPI document); answers are typed by the caller
 * (types.ts) where the document does not describe them yet. Every `{error, code}` answer becomes an
 * ApiError that the screens show in words next to the control that caused it.
 */
import type { paths } from './schema';
import { refresh, requestHeaders } from './session';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
export type PathsFor<M extends Method> = { [P in keyof paths]: paths[P][M] extends object ? P : never }[keyof paths];

type JsonBody<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B | undefined
    : undefined;
type PathParams<O> = O extends { parameters: { path: infer X } }
  ? X extends Record<string, unknown>
    ? X
    : undefined
  : undefined;
type QueryParams<O> = O extends { parameters: { query?: infer X } } ? X : undefined;

export interface Options<O> {
  params?: PathParams<O>;
  query?: QueryParams<O>;
  body?: JsonBody<O>;
  headers?: Record<string, string>;
}

/** An error answer of the hub: `code` is the stable reason (e.g. "user.username_taken"), `message` its words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function url(path: string, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const p = path.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(String(params?.[k] ?? '')));
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${p}?${s}` : p;
}

async function send<T>(method: Method, path: string, o: Options<unknown> = {}): Promise<T> {
  const attempt = async () => {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...(await requestHeaders(method)),
      ...o.headers,
    };
    if (o.body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(
      url(path, o.params as unknown as Record<string, unknown>, o.query as unknown as Record<string, unknown>),
      {
        method: method.toUpperCase(),
        headers,
        credentials: 'same-origin',
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
      },
    );
  };
  let r: Response;
  try {
    r = await attempt();
    // the access token expired (or the tab was reloaded): refresh once and retry
    if (r.status === 401 && (await refresh())) r = await attempt();
  } catch {
    throw new ApiError(0, 'network.unreachable', 'The hub cannot be reached. Check your connection and try again.');
  }
  if (r.status === 204) return undefined as T;
  const text = await r.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  if (!r.ok) {
    const e = (data ?? {}) as { error?: unknown; code?: unknown };
    throw new ApiError(
      r.status,
      typeof e.code === 'string' ? e.code : `http.${r.status}`,
      typeof e.error === 'string' ? e.error : `The hub answered ${r.status}`,
    );
  }
  return data as T;
}

export const api = {
  get: <T, P extends PathsFor<'get'> = PathsFor<'get'>>(path: P, o?: Options<Op<P, 'get'>>) =>
    send<T>('get', path, o as Options<unknown>),
  post: <T, P extends PathsFor<'post'> = PathsFor<'post'>>(path: P, o?: Options<Op<P, 'post'>>) =>
    send<T>('post', path, o as Options<unknown>),
  put: <T, P extends PathsFor<'put'> = PathsFor<'put'>>(path: P, o?: Options<Op<P, 'put'>>) =>
    send<T>('put', path, o as Options<unknown>),
  patch: <T, P extends PathsFor<'patch'> = PathsFor<'patch'>>(path: P, o?: Options<Op<P, 'patch'>>) =>
    send<T>('patch', path, o as Options<unknown>),
  delete: <T = void, P extends PathsFor<'delete'> = PathsFor<'delete'>>(path: P, o?: Options<Op<P, 'delete'>>) =>
    send<T>('delete', path, o as Options<unknown>),
};

/** The words to show for an error (a network failure, an ApiError, anything else). */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return e instanceof Error ? e.message : 'Something went wrong';
}
