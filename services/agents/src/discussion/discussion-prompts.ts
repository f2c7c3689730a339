import type { RetrievedNote } from '@koda/llm';
import { CONSENSUS_MARKER } from '@koda/llm';

export interface Turn {
  agent: string;
  content: string;
}

const PERSONAS: Record<string, string> = {
  plume: "Tu es Plume, l'agent d'écriture de KODA : tu apportes clarté, structure et reformulation.",
  mimir: "Tu es Mimir, l'agent de recherche de KODA : tu apportes les faits tirés des notes de l'utilisateur, en les citant.",
};

const RULES = [
  'Vous discutez à tour de rôle d’une question posée par l’utilisateur.',
  'Réponds au tour précédent (accord, nuance ou désaccord argumenté), en 3 à 6 phrases, sans répéter ce qui a été dit.',
  `Si tu es d'accord avec le tour précédent et que rien d'important ne manque, termine par ${CONSENSUS_MARKER}.`,
  "Réponds dans la langue de l'utilisateur.",
].join('\n');

export function turnSystemPrompt(persona: string, hits: RetrievedNote[]): string {
  const notes = persona === 'mimir' && hits.length > 0 ? `\n\nNotes :\n${hits.map((h, i) => `[${i + 1}] "${h.title}": ${h.snippet}`).join('\n')}` : '';
  return `${PERSONAS[persona] ?? `Tu es ${persona}.`}\n${RULES}${notes}`;
}

export const SYNTHESIS_SYSTEM_PROMPT =
  "Tu es Plume. Rédige la synthèse de la discussion ci-dessous pour l'utilisateur : points d'accord, nuances, et une conclusion claire. Réponds dans sa langue.";

export function transcriptPrompt(question: string, transcript: Turn[]): string {
  const said = transcript.map((t, i) => `Tour ${i + 1} — ${t.agent} : ${t.content}`).join('\n\n');
  return said ? `Question : ${question}\n\n${said}` : `Question : ${question}`;
}
