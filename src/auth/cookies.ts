/** Reading and writing HTTP cookies (RFC 6265 subset: what browsers send and what the hub sets). */

/** Every cookie of a request's Cookie header(s) (the first of a repeated name wins, as browsers order them most specific first). */
export function parseCookies(header: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const lines = Array.isArray(header) ? header : typeof header === 'string' ? [header] : [];
  for (const line of lines) {
    for (const part of String(line).split(';')) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      const name = part.slice(0, eq).trim();
      let value = part.slice(eq + 1).trim();
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
      if (name && !out.has(name)) out.set(name, value);
    }
  }
  return out;
}

export interface CookieOptions {
  httpOnly: boolean;
  secure: boolean;
  path: string;
  /** seconds; 0 = delete now */
  maxAge: number;
  sameSite: 'Lax' | 'Strict';
}

/** One Set-Cookie value. Host-only always (no Domain attribute): a cookie never reaches another host. */
export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  const parts = [
    `${name}=${value}`,
    `Path=${o.path}`,
    `Max-Age=${Math.max(0, Math.floor(o.maxAge))}`,
    `SameSite=${o.sameSite}`,
  ];
  if (o.maxAge <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (o.httpOnly) parts.push('HttpOnly');
  if (o.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Add Set-Cookie values to a Fastify reply (Fastify appends to any already set). */
export function appendSetCookie(reply: { header(name: string, value: string[]): unknown }, values: string[]): void {
  reply.header('set-cookie', values);
}
