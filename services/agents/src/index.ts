export { bootstrapAgent } from './bootstrap';
