import { z } from 'zod';
import { configFileFromArgs, mustLoadConfig } from 'zeroscope/conf';
import { RestConfSchema, RestServer } from 'zeroscope/rest';
import { createClient, RpcClientConfSchema } from 'zeroscope/rpc';
import { runGroup, ServiceGroup } from 'zeroscope/service';
import { GreeterService } from './greeter-service.js';

const ApiConfSchema = RestConfSchema.extend({
  Greeter: RpcClientConfSchema,
  EchoUrl: z.string(),
});
const { Greeter, EchoUrl, ...restConf } = mustLoadConfig(configFileFromArgs(process.argv), ApiConfSchema);

const greeter = createClient(GreeterService, Greeter);
const server = new RestServer(restConf);
server.addRoute({
  method: 'GET',
  path: '/api/hello/:name',
  request: { params: z.object({ name: z.string() }) },
  handler: async ({ params }) => {
    const reply = await greeter.SayHello({ name: params.name });
    const echo = await fetch(EchoUrl);
    return { message: reply.message, echo: echo.status };
  },
});
await runGroup(new ServiceGroup().add({ start: async () => {}, stop: async () => greeter.close() }, server));
console.log(`Starting server at ${restConf.Host}:${server.port}...`);
