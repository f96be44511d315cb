/** The token of an `Authorization: Bearer <token>` header value, or undefined when it is not one. */
export function parseBearer(header: unknown): string | undefined {
  if (!header || typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m ? m[1] : undefined;
}

/** The bearer token of a request (anything with Node's `headers`), or undefined. */
export function bearerToken(req: { headers: { authorization?: unknown } }): string | undefined {
  return parseBearer(req.headers.authorization);
}
