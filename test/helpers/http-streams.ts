import { request as httpRequest, type IncomingMessage } from 'node:http';

/** A request whose response is never read (the socket stays open). */
export function openUnread(
  url: string,
  headers: Record<string, string>,
): Promise<{ res: IncomingMessage; destroy: () => void }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      res.pause();
      resolve({ res, destroy: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves true when the response was cut before its end, false when it ended normally. */
export function cutShort(res: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    res.on('error', () => resolve(true));
    res.on('aborted', () => resolve(true));
    res.on('end', () => resolve(false));
    res.on('close', () => resolve(!res.complete));
    res.resume();
  });
}
