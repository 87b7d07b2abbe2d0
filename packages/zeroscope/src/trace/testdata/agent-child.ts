// Child process for agent.test.ts: startAgent is once per process, so each scenario gets its own.
// argv[2] is JSON { confs: AgentConf[], spans: number }. Every conf is passed to startAgent in
// order, then `spans` spans are ended, the agent is shut down, and a JSON report goes to stdout.
import { agentStatus, shutdownAgent, startAgent, tracer, type AgentConf } from '../index.ts';

const { confs, spans } = JSON.parse(process.argv[2] ?? '{}') as { confs: AgentConf[]; spans: number };
const warnings: string[] = [];
for (const conf of confs) startAgent(conf, { log: (_level, message) => warnings.push(message) });
const recording: boolean[] = [];
for (let i = 0; i < spans; i++) {
  const span = tracer().startSpan(`child-span-${i}`);
  recording.push(span.isRecording());
  span.end();
}
const status = agentStatus();
await shutdownAgent();
process.stdout.write(JSON.stringify({ status, recording, warnings, after: agentStatus() }));
