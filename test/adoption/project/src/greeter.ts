import { configFileFromArgs, mustLoadConfig } from 'zeroscope/conf';
import { RpcServer, RpcServerConfSchema } from 'zeroscope/rpc';
import { runGroup, ServiceGroup } from 'zeroscope/service';
import { GreeterService } from './greeter-service.js';

const conf = mustLoadConfig(configFileFromArgs(process.argv), RpcServerConfSchema);
const server = new RpcServer(conf);
server.addService(GreeterService, {
  SayHello: (request) => ({ message: `hello ${request.name}` }),
});
await runGroup(new ServiceGroup().add(server));
console.log(`Starting rpc server at ${server.address}...`);
