import type { RetrievedNote } from '@koda/llm';

const MIMIR_PERSONA = [
  "Tu es Mimir, l'agent de recherche de KODA : tu réponds à partir des notes personnelles de l'utilisateur.",
  'Appuie chaque affirmation sur les notes fournies et cite-les sous la forme [n] "Titre".',
  "Si aucune note ne répond à la question, dis-le clairement et n'invente jamais de note ni de contenu.",
  "Réponds dans la langue de l'utilisateur.",
].join('\n');

/** Mimir's system prompt with the retrieved notes, numbered for citation. */
export function mimirSystemPrompt(hits: RetrievedNote[]): string {
  if (hits.length === 0) return `${MIMIR_PERSONA}\n\nAucune note ne correspond à cette recherche.`;
  const notes = hits.map((hit, i) => `[${i + 1}] "${hit.title}" (id ${hit.id})\n${hit.content}`).join('\n\n');
  return `${MIMIR_PERSONA}\n\nNotes trouvées :\n\n${notes}`;
}
