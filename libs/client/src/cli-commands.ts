import type { ChatMode } from '@koda/contracts';
import { MODES } from './cli-args';

/** One line typed in the interactive session: a message, or a slash command. */
export type ReplInput =
  | { kind: 'empty' }
  | { kind: 'message'; text: string }
  | { kind: 'mode'; mode?: ChatMode }
  | { kind: 'new' }
  | { kind: 'notes' }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'invalid'; problem: string };

const COMMANDS = ['mode', 'new', 'notes', 'help', 'quit'] as const;

export function parseReplLine(line: string): ReplInput {
  const text = line.trim();
  if (!text) return { kind: 'empty' };
  // "/etc/hosts est-il lu ?" is a message: only a known command word makes a command.
  const match = /^\/(\w+)(?:\s+(.*))?$/s.exec(text);
  const name = match?.[1].toLowerCase();
  if (!match || !COMMANDS.includes(name as (typeof COMMANDS)[number])) {
    return text.startsWith('/') && /^\/\w+$/.test(text)
      ? { kind: 'invalid', problem: `commande inconnue : ${text} (/help pour la liste)` }
      : { kind: 'message', text };
  }
  const argument = match[2]?.trim();
  if (name === 'mode') return modeCommand(argument);
  if (argument) return { kind: 'invalid', problem: `/${name} ne prend pas d'argument` };
  return { kind: name as 'new' | 'notes' | 'help' | 'quit' };
}

function modeCommand(argument: string | undefined): ReplInput {
  if (!argument) return { kind: 'mode' };
  const mode = argument.toLowerCase() as ChatMode;
  return MODES.includes(mode) ? { kind: 'mode', mode } : { kind: 'invalid', problem: `mode inconnu : ${argument} (${MODES.join(', ')})` };
}
