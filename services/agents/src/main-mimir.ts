import { createLogger, loadConfigOrExit, runUntilSignal } from '@koda/platform';
import { bootstrapAgent } from './bootstrap';

const config = loadConfigOrExit();
const logger = createLogger('agents', config.LOG_LEVEL);
runUntilSignal(logger, () => bootstrapAgent('mimir', config, logger), undefined, { graceMs: config.KODA_SHUTDOWN_GRACE_MS });
