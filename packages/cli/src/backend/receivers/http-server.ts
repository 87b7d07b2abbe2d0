/** The node:http lifecycle shared by the OTLP/HTTP and Zipkin receivers. */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostChecker, hostRefusal } from '../guard/index.ts';
import type { Receiver } from './types.ts';

/** What a receiver's server checks before its handler runs. */
export interface HttpReceiverGuard {
  /** Extra Host names answered on loopback, or `true` for any (see guard/host-check.ts). */
  allowedHosts?: readonly string[] | true;
  /** Answers a refused request in the receiver's own format. */
  refuse: (req: IncomingMessage, res: ServerResponse, httpStatus: number, message: string) => void;
}

/** Headers must arrive within this; bodies are bounded by read-body.ts' receive rate. */
const HEADERS_TIMEOUT_MS = 30_000;

/** How long stop() lets in-flight requests finish before closing their connections. */
const STOP_GRACE_MS = 2000;

/** A Receiver serving `handler` on host:port over plain HTTP/1.1. */
export function httpReceiver(
  name: string,
  host: string,
  port: number,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  guard?: HttpReceiverGuard,
): Receiver {
  const hostAllowed = guard && hostChecker({ bindHost: host, ...(guard.allowedHosts ? { allowedHosts: guard.allowedHosts } : {}) });
  const server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS }, (req, res) => {
    // DNS rebinding: a page on another domain must not write spans into a loopback backend.
    if (guard && hostAllowed && !hostAllowed(req.headers.host)) return guard.refuse(req, res, 403, hostRefusal(req.headers.host));
    handler(req, res);
  });
  let started: Promise<{ host: string; port: number }> | undefined;
  let stopped: Promise<void> | undefined;
  return {
    name,
    start() {
      started ??= new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve({ host, port: (server.address() as AddressInfo).port });
        });
      });
      return started;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        const timer = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return stopped;
    },
  };
}
