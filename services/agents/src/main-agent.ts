import { agentDefinitions, isAgentNode } from '@koda/contracts';
import { createLogger, loadConfigOrExit, runUntilSignal } from '@koda/platform';
import { bootstrapAgent } from './bootstrap';

/** `node main-agent.js <node>`: the worker of any agent of the table (the container's entry point uses it). */
const node = process.argv[2] ?? '';
if (!isAgentNode(node)) {
  process.stderr.write(
    `unknown agent "${node}": use one of ${agentDefinitions()
      .map((agent) => agent.node)
      .join(', ')}\n`,
  );
  process.exit(64);
}
const config = loadConfigOrExit();
const logger = createLogger('agents', config.LOG_LEVEL);
runUntilSignal(logger, () => bootstrapAgent(node, config, logger), undefined, { graceMs: config.KODA_SHUTDOWN_GRACE_MS });
