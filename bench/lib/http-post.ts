import { type Agent, request } from 'node:http';

/**
 * POSTs one export body as an OTLP/HTTP exporter does, on `agent`'s keep-alive connections;
 * resolves on 200, rejects with the status and the start of the answer otherwise.
 */
export function postExport(url: URL, agent: Agent, contentType: string, body: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 200)}`))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
