export { bootstrapOrchestrator } from './bootstrap';
