export { bootstrapGateway } from './bootstrap';
