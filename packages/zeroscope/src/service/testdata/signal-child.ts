// Child process for signals.test.ts. argv[2] is the OTLP/HTTP receiver's host:port. Starts the
// agent through setUp, runs a group whose server has one request "in flight" that ends its span
// only while the server stops, ends a few more spans, prints "ready", and waits for SIGTERM.
import { setUp, ServiceGroup, runGroup, type Server } from '../index.ts';
import { tracer } from '../../trace/index.ts';
import { TelemetrySchema } from '../../trace/config.ts';

setUp({ Name: 'signal-child', Mode: 'test', Telemetry: TelemetrySchema.parse({ Endpoint: process.argv[2] }) });

const inFlight = tracer().startSpan('in-flight-request');
const server: Server = {
  async start() {},
  async stop() {
    // In-flight work finishes during stop; its span must still be exported.
    await new Promise((r) => setTimeout(r, 50));
    inFlight.end();
    process.stdout.write('stopped\n');
  },
};
await runGroup(new ServiceGroup().add(server));
for (let i = 0; i < 5; i++) tracer().startSpan(`request-${i}`).end();
process.stdout.write('ready\n');
setInterval(() => {}, 1000); // stay alive like a server would
