import { agentDisplayName } from '@koda/contracts';
import { isEnded, type RunPhase, type RunState } from './run-state';

/** The state of the connection carrying a run, apart from the run itself. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** What a UI shows while a run goes on ("Réflexion en cours… (Mimir)"). */
export interface RunStatus {
  phase: RunPhase;
  connection: ConnectionState;
  /** Who is at work, as a display name. */
  agent?: string;
  /** A ready-made French label; empty once the run has ended. */
  label: string;
}

/** A persona's display name: the agent table's, `Synthèse`, or its own name capitalised. */
export function agentName(agent: string): string {
  return agent === 'synthesis' ? 'Synthèse' : agentDisplayName(agent);
}

export function runStatus(state: RunState, connection: ConnectionState): RunStatus {
  const agent = state.activeAgent ? agentName(state.activeAgent) : undefined;
  return { phase: state.phase, connection, agent, label: statusLabel(state, connection, agent) };
}

function statusLabel(state: RunState, connection: ConnectionState, agent: string | undefined): string {
  if (isEnded(state) || connection === 'closed') return '';
  if (connection === 'reconnecting') return 'Connexion perdue, reconnexion…';
  // In auto mode, before the routing decision, the orchestrator is the one at work.
  if (state.phase === 'routing' && !agent) return 'Réflexion en cours… (aiguillage)';
  return agent ? `Réflexion en cours… (${agent})` : 'Réflexion en cours…';
}

export const sameStatus = (a: RunStatus | undefined, b: RunStatus): boolean =>
  !!a && a.phase === b.phase && a.connection === b.connection && a.agent === b.agent && a.label === b.label;
