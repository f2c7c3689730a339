import type { LlmTask } from '../provider';
import { classifyAnswer } from './classify-answer';
import { discussionSynthesis, discussionTurn } from './discussion-answer';
import { detectLanguage, say } from './language';
import { mimirAnswer } from './mimir-answer';
import { plumeAnswer } from './plume-answer';

/** The offline model's whole answer to a task: a pure function of the task, so deterministic. */
export function composeAnswer(task: LlmTask): string {
  const text = answerFor(task).trim();
  if (text) return text;
  // Every builder answers something; this guards the "never empty" promise against edge input.
  return say(detectLanguage(task.message), 'Je n’ai pas pu formuler de réponse à ce message.', 'I could not put together an answer to this message.');
}

function answerFor(task: LlmTask): string {
  switch (task.kind) {
    case 'plume':
      return plumeAnswer(task.message, task.history);
    case 'mimir':
      return mimirAnswer(task.message, task.hits);
    case 'discussion-turn':
      return discussionTurn(task.message, task.persona, task.turn, task.transcript, task.hits);
    case 'discussion-synthesis':
      return discussionSynthesis(task.message, task.transcript);
    case 'classify':
      return classifyAnswer(task.message);
  }
}
