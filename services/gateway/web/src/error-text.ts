import type { KodaError } from '@koda/client';

/** What each failure means to a reader, in the page's language (server messages are for logs). */
const TITLES: Record<string, string> = {
  cancelled: 'Réponse interrompue.',
  timeout: 'La réponse a pris trop de temps.',
  agent_failed: "L'agent n'a pas pu répondre.",
  worker_lost: "L'agent s'est arrêté en cours de route.",
  llm_overloaded: 'Le modèle est surchargé.',
  llm_rate_limited: 'Trop de demandes au modèle pour le moment.',
  llm_invalid_request: 'Le modèle a refusé la demande.',
  llm_auth: 'La clé du modèle est refusée.',
  llm_error: 'Le modèle a rencontré une erreur.',
  internal: 'Erreur interne.',
  invalid_request: 'Message refusé.',
  not_found: 'Cette réponse est introuvable (expirée ?).',
  connection_lost: 'Connexion au serveur perdue.',
  protocol: 'Réponse du serveur incompréhensible.',
  http: 'Le serveur a répondu par une erreur.',
};

export function errorTitle(code: string): string {
  return TITLES[code] ?? 'Erreur.';
}

/** "Message refusé. message: must not be blank" — the title, and the detail when it says more. */
export function describeError(error: Pick<KodaError, 'code' | 'message'>): string {
  if (error.code === 'cancelled') return TITLES.cancelled;
  return `${errorTitle(error.code)} ${error.message}`.trim();
}
