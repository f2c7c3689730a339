export * from './koda-stack';
export * from './sse';
export * from './assertions';
