export * from './text-analysis';
export * from './passages';
export * from './query-extract';
export * from './notes-index';
export * from './notes-log';
export * from './notes-projection';
export * from './markdown-note';
export * from './import-notes-dir';
