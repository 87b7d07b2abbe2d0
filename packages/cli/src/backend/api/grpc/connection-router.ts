/**
 * One port for HTTP/1.1 and gRPC, as Tempo serves its query API with `stream_over_http_enabled`:
 * each new connection's first bytes are read, and a connection that opens with the HTTP/2 client
 * preface (what a gRPC client sends over plain TCP) goes to the gRPC server; every other one goes
 * to node:http exactly as if nothing had looked at it.
 *
 * The HTTP server keeps listening on the port itself, so its own connection tracking (header and
 * request timeouts, `closeAllConnections`) keeps working. That needs one assumption about
 * node:http, checked by connection-router.test.ts: it handles a socket in its `'connection'`
 * listener, which is moved behind the sniffer here.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** The bytes an HTTP/2 client sends first on a cleartext connection (RFC 9113, section 3.4). */
export const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** What the first bytes of a connection say about it. */
export type Verdict = 'http2' | 'http1' | 'undecided';

/** Compares what arrived so far with the HTTP/2 preface. */
export function classify(head: Buffer): Verdict {
  const n = Math.min(head.length, HTTP2_PREFACE.length);
  if (head.subarray(0, n).compare(HTTP2_PREFACE, 0, n) !== 0) return 'http1';
  return n === HTTP2_PREFACE.length ? 'http2' : 'undecided';
}

/** The sniffer in front of an HTTP server. */
export interface ConnectionRouter {
  /** Destroys the connections whose first bytes have not arrived yet (the servers own the rest). */
  closePending(): void;
}

/**
 * Puts the sniffer in front of `server`'s connection handling: HTTP/2-preface connections are
 * handed to `onHttp2` (with the bytes read so far pushed back), the others to node:http. A
 * connection that sends nothing within `server.headersTimeout` is closed, as node:http would.
 */
export function routeHttp2Connections(server: Server, onHttp2: (socket: Socket) => void): ConnectionRouter {
  const httpListeners = server.listeners('connection') as Array<(socket: Socket) => void>;
  server.removeAllListeners('connection');
  const pending = new Set<Socket>();

  server.on('connection', (socket: Socket) => {
    pending.add(socket);
    let head: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), server.headersTimeout || 60_000);
    timer.unref();
    const settle = () => {
      clearTimeout(timer);
      pending.delete(socket);
      socket.removeListener('data', onData);
      socket.removeListener('close', settle);
      socket.removeListener('error', settle);
    };
    const onData = (chunk: Buffer) => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const verdict = classify(head);
      if (verdict === 'undecided') return;
      settle();
      socket.pause();
      socket.unshift(head);
      if (verdict === 'http2') {
        // node:http2 takes the pushed-back bytes with socket.read() on its next tick, then reads
        // the handle directly; resuming here would spill them as 'data' events nobody hears.
        onHttp2(socket);
      } else {
        for (const listener of httpListeners) listener.call(server, socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
    // A connection that closes or fails before deciding is simply forgotten.
    socket.once('close', settle);
    socket.once('error', settle);
  });

  return {
    closePending() {
      for (const socket of pending) socket.destroy();
      pending.clear();
    },
  };
}
