export * from './koda-stack';
export * from './sse';
export * from './assertions';
export * from './prom-text';
export * from './otlp-receiver';
export * from './queues';
