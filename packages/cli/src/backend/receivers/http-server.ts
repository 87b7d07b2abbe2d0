/** The node:http lifecycle shared by the OTLP/HTTP and Zipkin receivers. */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Receiver } from './types.ts';

/** How long stop() lets in-flight requests finish before closing their connections. */
const STOP_GRACE_MS = 2000;

/** A Receiver serving `handler` on host:port over plain HTTP/1.1. */
export function httpReceiver(
  name: string,
  host: string,
  port: number,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Receiver {
  const server = createServer(handler);
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
