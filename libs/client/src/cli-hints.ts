/** What to do when the gateway does not answer: the address tried, and the two ways to change it. */
export function unreachableHint(url: string): string {
  return `KODA ne répond pas à ${url}. Est-il démarré (npm start) ? Pour une autre adresse : --url http://hôte:port, ou KODA_URL=http://hôte:port.`;
}

/** Shown on entering the interactive session and on /help. */
export const INTERACTIVE_HELP = `Écrivez un message puis Entrée. Commandes :
  /mode [auto|plume|mimir|discussion]  qui répond (sans argument : le mode actuel)
  /new                                 nouvelle conversation
  /notes                               vos notes (titres, étiquettes)
  /help                                cette aide
Ctrl+C arrête la réponse en cours ; Ctrl+D (ou /quit) quitte.
`;
