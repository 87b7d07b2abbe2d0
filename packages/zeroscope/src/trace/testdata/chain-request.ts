/**
 * The three spans of one request of the seed's chain (order SERVER → CLIENT → user SERVER), made as
 * the rest handler and the rpc interceptors make them: attributes, message events, status code.
 * Shared by the cost scripts of this folder (not a test, not shipped).
 */
import { ROOT_CONTEXT, SpanKind, trace, type Tracer } from '@opentelemetry/api';

export function chainRequest(tracer: Tracer, i: number): void {
  const server = tracer.startSpan(
    'GET /api/order/:id',
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.route': '/api/order/:id',
        'http.request.method': 'GET',
        'url.path': `/api/order/${i % 100}`,
        'url.scheme': 'http',
        'server.address': '127.0.0.1',
        'server.port': 8888,
        'client.address': '127.0.0.1',
        'user_agent.original': 'autocannon',
      },
    },
    ROOT_CONTEXT,
  );
  const rpc = { 'rpc.system': 'grpc', 'rpc.service': 'user.User', 'rpc.method': 'Get' };
  const client = tracer.startSpan('user.User/Get', { kind: SpanKind.CLIENT, attributes: { ...rpc, 'server.address': '127.0.0.1', 'server.port': 8080 } }, trace.setSpan(ROOT_CONTEXT, server));
  client.addEvent('message', { 'message.type': 'SENT', 'message.id': 1 });
  const user = tracer.startSpan('user.User/Get', { kind: SpanKind.SERVER, attributes: { ...rpc, 'client.address': '127.0.0.1', 'client.port': 40000 + (i % 1000) } }, trace.setSpan(ROOT_CONTEXT, client));
  user.addEvent('message', { 'message.type': 'RECEIVED', 'message.id': 1 });
  user.addEvent('message', { 'message.type': 'SENT', 'message.id': 1 });
  user.setAttribute('rpc.grpc.status_code', 0);
  user.end();
  client.addEvent('message', { 'message.type': 'RECEIVED', 'message.id': 1 });
  client.setAttribute('rpc.grpc.status_code', 0);
  client.end();
  server.setAttribute('http.response.status_code', 200);
  server.end();
}
