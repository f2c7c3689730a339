import { CHAT_MODES, type ChatMode } from '@koda/contracts';

export interface CliArgs {
  /** Empty: no message on the command line, so an interactive session opens. */
  message: string;
  mode: ChatMode;
  sessionId?: string;
  url: string;
  /** Bearer credential for a gateway with authentication on (`--key`, else `$KODA_API_KEY`). */
  apiKey?: string;
}

export type ParsedArgs = { ok: true; args: CliArgs } | { ok: false; help: boolean; problem?: string };

/** The modes as the gateway accepts them: from the agent table. */
export const MODES: readonly ChatMode[] = CHAT_MODES;
const AGENT_MODES = MODES.filter((mode) => mode !== 'auto');

export const DEFAULT_URL = 'http://localhost:3000';

export const USAGE = `Usage : npm run chat                       session interactive (une conversation, plusieurs messages)
        npm run chat -- "message" [options]  une seule réponse, puis rend la main

Options :
  --mode     qui répond : auto (par défaut, l'orchestrateur choisit), ${AGENT_MODES.slice(0, -1).join(', ')} ou ${AGENT_MODES[AGENT_MODES.length - 1]}
  --session  poursuit une conversation (l'id est affiché à la fin de chaque réponse)
  --url      l'adresse du gateway (par défaut $KODA_URL, sinon ${DEFAULT_URL})
  --key      votre clé d'API, si le gateway en demande une (par défaut $KODA_API_KEY)

En session interactive : /mode ${[...AGENT_MODES, 'auto'].join('|')}, /new (nouvelle conversation),
/notes (vos notes), /help ; Ctrl+C arrête la réponse en cours, Ctrl+D quitte.
L'historique des messages est gardé dans $KODA_HISTORY (par défaut ~/.koda_history ; vide : aucun).
`;

/** Parses `"message" --mode auto --session ID --url URL` (also `--mode=auto`); no message: interactive. */
export function parseCliArgs(argv: string[], env: Record<string, string | undefined> = {}): ParsedArgs {
  const words: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { ok: false, help: true };
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (!['mode', 'session', 'url', 'key'].includes(name)) return { ok: false, help: false, problem: `option inconnue : --${name}` };
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') return { ok: false, help: false, problem: `--${name} attend une valeur` };
    options[name] = value;
  }
  return checked(words.join(' ').trim(), options, env);
}

function checked(message: string, options: Record<string, string>, env: Record<string, string | undefined>): ParsedArgs {
  const mode = (options.mode ?? 'auto') as ChatMode;
  if (!MODES.includes(mode)) return { ok: false, help: false, problem: `--mode doit être l'un de : ${MODES.join(', ')}` };
  const url = options.url ?? (env.KODA_URL || DEFAULT_URL);
  if (!/^https?:\/\/\S+$/.test(url)) return { ok: false, help: false, problem: `--url doit être une adresse http(s) : ${url}` };
  const apiKey = options.key ?? (env.KODA_API_KEY || undefined);
  return { ok: true, args: { message, mode, sessionId: options.session, url, ...(apiKey && { apiKey }) } };
}
