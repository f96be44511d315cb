import WebSocket from 'ws';
import { LinkSocket, MAX_LINK_MESSAGE } from './link-socket.js';
import { LINK_PATH, signLink } from './link-auth.js';
import { LinkType, jsonPayload, parseJsonPayload, type LinkFrame } from './link-frame.js';
import { RemoteTunnel, type LinkPort, type OpenAck } from './remote-tunnel.js';

/** How long dialling a peer replica, and an OPEN round trip, may take. */
export const LINK_OPEN_TIMEOUT_MS = 5000;
/** After a failed dial, requests for that replica fail at once for this long (no pile of waiting dials). */
export const LINK_REDIAL_MS = 1000;

export type OpenResult = { ok: RemoteTunnel } | { notHere: true };

export interface OpenRequest {
  serverId: string;
  userId: string;
  kind: 'http' | 'channel';
}

interface Pending {
  req: OpenRequest;
  resolve: (r: OpenResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface ClientLinkOptions {
  /** the peer's internal address (HUB_NODE_URL) */
  nodeUrl: string;
  nodeId: string;
  secret: string;
  nowSeconds: () => number;
  /** a stream opened on this link: attach it where revocation and timeouts reach it */
  attach: (rt: RemoteTunnel) => void;
  detach: (rt: RemoteTunnel) => void;
}

function linkUrl(nodeUrl: string): string {
  const u = new URL(LINK_PATH, nodeUrl.endsWith('/') ? nodeUrl : `${nodeUrl}/`);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

/**
 * This replica's link to one peer replica (the ingress end): dialled on first use and again after
 * it drops, streams multiplexed by link stream id, OPEN round trips, and every stream failed when
 * the link goes.
 */
export class ClientLink {
  private sock: LinkSocket | null = null;
  private dialling: Promise<LinkSocket> | null = null;
  private dialFailedAt = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly streams = new Map<number, RemoteTunnel>();
  private readonly port: LinkPort;

  constructor(private readonly o: ClientLinkOptions) {
    const sockOf = () => this.sock;
    this.port = {
      get congested() {
        return sockOf()?.congested ?? false;
      },
      get isOpen() {
        return sockOf()?.isOpen ?? false;
      },
      send: (type, id, payload) => this.sock?.send(type, id, payload) ?? false,
      whenDrained: (cb) => (this.sock ? this.sock.whenDrained(cb) : undefined),
      forget: (id) => this.streams.delete(id),
    };
  }

  get streamCount(): number {
    return this.streams.size;
  }

  async open(req: OpenRequest): Promise<OpenResult> {
    const sock = await this.connect();
    const id = this.allocId();
    return new Promise<OpenResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        sock.send(LinkType.HTTP_CANCEL, id); // if the OPEN_ACK comes late, the owner forgets it
        reject(new Error('open timed out'));
      }, LINK_OPEN_TIMEOUT_MS);
      timer.unref?.();
      this.pending.set(id, { req, resolve, reject, timer });
      if (!sock.send(LinkType.OPEN, id, jsonPayload(req))) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new Error('link closed'));
      }
    });
  }

  close(reason: string): void {
    this.sock?.close(reason, 1001);
  }

  private allocId(): number {
    let id = this.nextId;
    while (this.pending.has(id) || this.streams.has(id)) id = id >= 0xffffffff ? 1 : id + 1;
    this.nextId = id >= 0xffffffff ? 1 : id + 1;
    return id;
  }

  private connect(): Promise<LinkSocket> {
    if (this.sock?.isOpen) return Promise.resolve(this.sock);
    if (!this.dialling && Date.now() - this.dialFailedAt < LINK_REDIAL_MS) {
      return Promise.reject(new Error('link down, dialled again shortly'));
    }
    this.dialling ??= this.dial()
      .catch((e: Error) => {
        this.dialFailedAt = Date.now();
        throw e;
      })
      .finally(() => (this.dialling = null));
    return this.dialling;
  }

  private dial(): Promise<LinkSocket> {
    return new Promise<LinkSocket>((resolve, reject) => {
      const ws = new WebSocket(linkUrl(this.o.nodeUrl), {
        headers: signLink(this.o.secret, this.o.nodeId, this.o.nowSeconds()),
        perMessageDeflate: false,
        maxPayload: MAX_LINK_MESSAGE,
        handshakeTimeout: LINK_OPEN_TIMEOUT_MS,
      });
      const fail = (e: Error) => {
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        reject(e);
      };
      ws.once('unexpected-response', (_req, res) => fail(new Error(`link refused (HTTP ${res.statusCode})`)));
      ws.once('error', (e) => fail(e));
      ws.once('open', () => {
        ws.removeAllListeners('error');
        ws.removeAllListeners('unexpected-response');
        const sock = new LinkSocket(
          ws,
          (f) => this.onFrame(f),
          (reason) => this.onClosed(sock, reason),
        );
        this.sock = sock;
        resolve(sock);
      });
    });
  }

  private onFrame(f: LinkFrame): void {
    const p = this.pending.get(f.id);
    if (p) {
      if (f.type !== LinkType.OPEN_ACK && f.type !== LinkType.NOT_HERE) return;
      this.pending.delete(f.id);
      clearTimeout(p.timer);
      if (f.type === LinkType.NOT_HERE) return p.resolve({ notHere: true });
      const ack = readAck(f.payload);
      if (!ack) {
        this.sock?.send(LinkType.HTTP_CANCEL, f.id);
        return p.reject(new Error('bad open ack'));
      }
      const rt = new RemoteTunnel(this.port, f.id, p.req.serverId, ack, (x) => this.o.detach(x));
      this.streams.set(f.id, rt);
      this.o.attach(rt);
      return p.resolve({ ok: rt });
    }
    this.streams.get(f.id)?.onFrame(f);
  }

  private onClosed(sock: LinkSocket, reason: string): void {
    if (this.sock === sock) this.sock = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`link closed: ${reason}`));
    }
    this.pending.clear();
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const rt of streams) rt.linkGone('link_closed');
  }
}

function readAck(payload: Buffer): OpenAck | null {
  const j = parseJsonPayload(payload);
  if (!j || typeof j.creditMode !== 'boolean') return null;
  const rc = j.requestCredit;
  const requestCredit = typeof rc === 'number' && Number.isInteger(rc) && rc >= 0 ? rc : null;
  const responseCredit =
    typeof j.responseCredit === 'number' && Number.isInteger(j.responseCredit) ? j.responseCredit : 0;
  if (j.creditMode && requestCredit === null) return null;
  return { creditMode: j.creditMode, requestCredit: j.creditMode ? requestCredit : null, responseCredit };
}
