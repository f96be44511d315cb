/** The part of a socket a WriteBatch needs. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * Gathers what is written to one socket during a turn of the event loop into one write: the
 * first write of a turn corks the socket, and the check phase of that turn (setImmediate, after
 * every I/O callback of the turn) uncorks it. Many small frames sent for different requests in
 * the same turn then cost one system call and one TCP segment instead of one each; a frame waits
 * at most until the end of the current turn. Corked bytes count as buffered (writableLength), so
 * back-pressure checks see them.
 */
export class WriteBatch {
  private open = false;

  constructor(private readonly socket: Corkable) {}

  /** A batch for `socket`, or null when there is no socket that can be corked. */
  static of(socket: Partial<Corkable> | undefined): WriteBatch | null {
    return socket?.cork && socket.uncork ? new WriteBatch(socket as Corkable) : null;
  }

  /** Call right before each write of the socket. */
  add(): void {
    if (this.open) return;
    this.open = true;
    this.socket.cork();
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.open = false;
    this.socket.uncork();
  };
}
