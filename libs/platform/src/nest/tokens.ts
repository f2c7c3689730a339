/** Injection tokens of the providers every KODA service shares. */
export const KODA_CONFIG = Symbol('KODA_CONFIG');
export const LOGGER = Symbol('LOGGER');
/** The service's command connection (never used for blocking reads). */
export const REDIS = Symbol('REDIS');
