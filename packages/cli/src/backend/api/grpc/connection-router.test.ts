import assert from 'node:assert/strict';
import { createServer, get, Agent, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HTTP2_PREFACE, classify, routeHttp2Connections, type ConnectionRouter } from './connection-router.ts';

function getText(port: number, path: string, agent?: Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, ...(agent ? { agent } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('classify', () => {
  it('waits while the bytes so far are a prefix of the HTTP/2 preface', () => {
    assert.equal(classify(Buffer.from('PRI * HT')), 'undecided');
    assert.equal(classify(HTTP2_PREFACE), 'http2');
    assert.equal(classify(Buffer.concat([HTTP2_PREFACE, Buffer.from([0, 0, 0, 4])])), 'http2');
  });

  it('decides HTTP/1 at the first byte that differs', () => {
    assert.equal(classify(Buffer.from('GET / HTTP/1.1\r\n')), 'http1');
    assert.equal(classify(Buffer.from('POST')), 'http1');
    assert.equal(classify(Buffer.from('PRI * HTTP/1.1')), 'http1');
  });
});

describe('routeHttp2Connections', () => {
  let server: Server;
  let router: ConnectionRouter;
  let port = 0;
  const http2Sockets: Array<{ socket: Socket; bytes: Promise<Buffer> }> = [];

  before(async () => {
    server = createServer((req, res) => res.end(`ok ${req.url}`));
    router = routeHttp2Connections(server, (socket) => {
      // Read what the HTTP/2 side would read: the pushed-back bytes, then the rest.
      const bytes = new Promise<Buffer>((resolve) => {
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.on('end', () => resolve(Buffer.concat(chunks)));
        socket.resume();
      });
      http2Sockets.push({ socket, bytes });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    for (const { socket } of http2Sockets) socket.destroy();
    router.closePending();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('leaves HTTP/1.1 to node:http, keep-alive included', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (const path of ['/a', '/b', '/c']) assert.equal(await getText(port, path, agent), `ok ${path}`);
    agent.destroy();
  });

  it('hands a connection that opens with the preface over, bytes intact, even when it arrives in pieces', async () => {
    const before = http2Sockets.length;
    const client = connect(port, '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    client.write(HTTP2_PREFACE.subarray(0, 5));
    await new Promise((resolve) => setTimeout(resolve, 30));
    client.write(HTTP2_PREFACE.subarray(5));
    client.end(Buffer.from('frames'));
    while (http2Sockets.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
    const got = await http2Sockets[before]!.bytes;
    assert.deepEqual(got, Buffer.concat([HTTP2_PREFACE, Buffer.from('frames')]));
  });

  // The one thing the router assumes about node:http: its connection handling (and so its
  // connection tracking) still runs for the sockets handed back. A Node upgrade that breaks it
  // fails here: closeAllConnections would leave the idle keep-alive socket open.
  it('keeps node:http tracking the connections it is handed', { timeout: 5000 }, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal(await getText(port, '/idle', agent), 'ok /idle');
    const idle = Object.values(agent.freeSockets).flat()[0]!;
    assert.ok(idle, 'the agent kept the socket alive');
    const closed = new Promise((resolve) => idle.once('close', resolve));
    server.closeIdleConnections();
    await closed;
    agent.destroy();
  });

  it('closes a connection that has sent nothing yet when asked', { timeout: 5000 }, async () => {
    const client = connect(port, '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closed = new Promise((resolve) => client.once('close', resolve));
    router.closePending();
    await closed;
  });
});
