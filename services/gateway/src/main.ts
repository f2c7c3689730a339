import { createLogger, loadConfigOrExit, runUntilSignal } from '@koda/platform';
import { bootstrapGateway } from './bootstrap';

const config = loadConfigOrExit();
const logger = createLogger('gateway', config.LOG_LEVEL);
runUntilSignal(logger, () => bootstrapGateway(config, logger), undefined, { graceMs: config.KODA_SHUTDOWN_GRACE_MS });
