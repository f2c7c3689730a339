/**
 * The agent table and what derives from it, with no runtime dependency: the one part of the
 * contracts the web page bundles (its build maps `@koda/contracts` here).
 */
export * from './agent-table';
export * from './agent-registry';
