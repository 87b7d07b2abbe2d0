/**
 * The ideal remote backend (variant S): an OTLP/HTTP receiver that reads each request's body,
 * answers 200 with an empty ExportTraceServiceResponse and does nothing else, so what it costs is
 * the least any real receiver could. It runs as its own process (lib/sink.ts starts it), so its CPU
 * is not the services'. Prints `SINK <port>`; `GET /stats` answers the requests and bytes seen.
 *   node bench/lib/sink-main.ts
 */
import { createServer } from 'node:http';

let requests = 0;
let bytes = 0;

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requests, bytes }));
    return;
  }
  req.on('data', (chunk: Buffer) => (bytes += chunk.length));
  req.on('end', () => {
    requests++;
    // An empty protobuf message is zero bytes: the exporter reads "accepted, nothing rejected".
    res.writeHead(200, { 'content-type': req.headers['content-type'] === 'application/json' ? 'application/json' : 'application/x-protobuf' });
    res.end(req.headers['content-type'] === 'application/json' ? '{}' : undefined);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`SINK ${address.port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)));
