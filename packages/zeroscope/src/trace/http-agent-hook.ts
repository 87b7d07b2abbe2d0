/**
 * The one place zeroscope leans on a private API of a dependency to see export responses: Node's
 * `http.Agent.prototype.addRequest` (undocumented; every request made with an agent passes through
 * it), hooked on an agent the official OTLP/HTTP exporter was handed through its documented
 * `httpAgentOptions` factory. `http-agent-hook.test.ts` fails when a Node release stops routing
 * requests through it, or an exporter release stops using the agent it is given.
 */
import type { Agent, ClientRequest, IncomingMessage } from 'node:http';

type AddRequest = (this: Agent, req: ClientRequest, options: unknown) => void;

/**
 * Calls `onResponse` with every response to a request sent through `agent`. Returns false, hooking
 * nothing, when the agent has no `addRequest` to hook (exports then go on, without the callback).
 */
export function watchAgentResponses(agent: Agent, onResponse: (res: IncomingMessage) => void): boolean {
  const hooked = agent as unknown as { addRequest?: AddRequest };
  const base = hooked.addRequest;
  if (typeof base !== 'function') return false;
  hooked.addRequest = function addRequest(this: Agent, req, options) {
    req.once('response', onResponse);
    return base.call(this, req, options);
  };
  return true;
}
