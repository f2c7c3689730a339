import { Inject, Injectable } from '@nestjs/common';
import type { AgentNode, ChatMode, Intent, RoutingDecision } from '@koda/contracts';
import { KODA_CONFIG, LOGGER, type KodaConfig, type Logger } from '@koda/platform';
import { IntentClassifier, routeIntent } from '@koda/intent';

const NODE_OF_INTENT: Record<Intent, AgentNode> = { restitution: 'plume', recherche: 'mimir', discussion: 'discussion' };
const INTENT_OF_NODE: Record<AgentNode, Intent> = { plume: 'restitution', mimir: 'recherche', discussion: 'discussion' };

/** Decides which agent answers: the mode when it names one, else the intent classifier. */
@Injectable()
export class IntentRouter {
  private readonly local = IntentClassifier.default();

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async decide(mode: ChatMode, message: string): Promise<RoutingDecision> {
    if (mode !== 'auto') return { intent: INTENT_OF_NODE[mode], confidence: 1, node: mode, classifier: 'explicit' };
    const result = this.local.classify(message);
    const intent = routeIntent(result);
    return { intent, confidence: round(result.confidence), node: NODE_OF_INTENT[intent], classifier: 'local' };
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
