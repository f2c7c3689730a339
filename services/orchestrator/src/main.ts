import 'reflect-metadata';
import { createLogger, loadConfigOrExit } from '@koda/platform';
import { bootstrapOrchestrator } from './bootstrap';
import { runUntilSignal } from '@koda/platform';

const config = loadConfigOrExit();
const logger = createLogger('orchestrator', config.LOG_LEVEL);
runUntilSignal(logger, () => bootstrapOrchestrator(config, logger), undefined, { graceMs: config.KODA_SHUTDOWN_GRACE_MS });
