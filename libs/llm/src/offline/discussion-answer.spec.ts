import type { RetrievedNote } from '../provider';
import { CONSENSUS_MARKER, discussionSynthesis, discussionTurn, stanceOf } from './discussion-answer';

const sleepNote: RetrievedNote = {
  type: 'note',
  id: 'n1',
  title: 'Habitudes de sommeil',
  content: 'Une heure de lever fixe, même le week-end, aide à mieux dormir. Pas de café après 13 h.',
  tags: ['santé'],
  snippet: 'Une heure de lever fixe, même le week-end, aide à mieux dormir.',
  score: 0.7,
};
const question = 'Comment mieux dormir et garder de bonnes habitudes ?';

function discuss(turns: number, hits: RetrievedNote[]): { agent: string; content: string }[] {
  const transcript: { agent: string; content: string }[] = [];
  for (let turn = 1; turn <= turns; turn++) {
    const persona = turn % 2 === 1 ? 'plume' : 'mimir';
    transcript.push({ agent: persona, content: discussionTurn(question, persona, turn, [...transcript], hits) });
  }
  return transcript;
}

describe('discussion turns', () => {
  it('follows the documented stance rule', () => {
    expect(stanceOf('plume', 1, false, true)).toBe('open');
    expect(stanceOf('mimir', 2, true, true)).toBe('add');
    expect(stanceOf('mimir', 2, true, false)).toBe('contrast');
    expect(stanceOf('plume', 2, true, true)).toBe('contrast');
    expect(stanceOf('plume', 3, true, true)).toBe('agree');
  });

  it('responds to the previous turn, naming its speaker and quoting it', () => {
    const [first, second] = discuss(2, [sleepNote]);
    expect(second.content).toMatch(/^Je complète ce que dit Plume : « Argument contre : mieux dormir/);
    expect(first.content).toContain('Argument pour : mieux dormir et garder de bonnes habitudes, c’est un gain réel');
  });

  it('opens a debate with an argument for and one against, from the question (FR and EN)', () => {
    const fr = discussionTurn('Débattez : faut-il tout noter ?', 'plume', 1, [], []);
    expect(fr).toContain('Argument pour : tout noter, c’est un gain réel');
    expect(fr).toContain('Argument contre : tout noter demande du temps');
    const en = discussionTurn('Should I learn Rust?', 'plume', 1, [], []);
    expect(en).toContain('For: it pays off to learn Rust');
    expect(en).toContain('Against: trying to learn Rust costs time');
    const either = discussionTurn('Should I use SSE or WebSockets?', 'plume', 1, [], []);
    expect(either).toContain('For SSE: it is often the simpler option');
    expect(either).toContain('Against SSE, so for WebSockets:');
  });

  it('finds an argument for and one against in the notes, cited', () => {
    const notes: RetrievedNote[] = [
      {
        ...sleepNote,
        id: 'a',
        title: 'Journal de bord',
        content: 'Noter chaque soir aide à retrouver une idée des semaines plus tard. Le carnet tient dans la poche.',
      },
      { ...sleepNote, id: 'b', title: 'Trop de notes', content: 'Tout noter prend du temps et le risque est de ne jamais relire les notes.' },
    ];
    const mimir = discussionTurn(
      'Faut-il tout noter ?',
      'mimir',
      2,
      [{ agent: 'plume', content: 'Argument pour : tout noter aide beaucoup au quotidien.' }],
      notes,
    );
    expect(mimir).toContain('Côté pour, [1] "Journal de bord" : Noter chaque soir aide à retrouver une idée');
    expect(mimir).toContain('Côté contre, [2] "Trop de notes" : Tout noter prend du temps et le risque');
  });

  it('draws on the hits as Mimir, with citations', () => {
    const [, mimir] = discuss(2, [sleepNote]);
    expect(mimir.content).toContain('[1] "Habitudes de sommeil" : Une heure de lever fixe');
    const neutral = { ...sleepNote, content: 'Le carnet est rangé dans le tiroir du bureau, à côté des stylos.' };
    const [, plain] = discuss(2, [neutral]);
    expect(plain.content).toContain('Mes notes disent ceci. [1] "Habitudes de sommeil" : Le carnet est rangé');
  });

  it('says Mimir has no note when there are no hits', () => {
    const [, mimir] = discuss(2, []);
    expect(mimir.content).toMatch(/^Je nuancerais ce que dit Plume/);
    expect(mimir.content).toContain("Je n'ai aucune note sur ce point");
  });

  it('marks consensus only on an agreeing turn from turn 3', () => {
    const transcript = discuss(3, [sleepNote]);
    expect(transcript[0].content).not.toContain(CONSENSUS_MARKER);
    expect(transcript[1].content).not.toContain(CONSENSUS_MARKER);
    expect(transcript[2].content).toMatch(/^Je suis d’accord avec Mimir : « /);
    expect(transcript[2].content.endsWith(CONSENSUS_MARKER)).toBe(true);
    expect(CONSENSUS_MARKER).toBe('[CONSENSUS]');
  });

  it('speaks English to an English question', () => {
    const turn = discussionTurn('Should I stream events with SSE or WebSockets?', 'plume', 1, [], []);
    expect(turn).toMatch(/^To answer “Should I stream events/);
  });
});

describe('discussion synthesis', () => {
  it('gives each persona’s key point, the notes cited and the outcome', () => {
    const transcript = discuss(3, [sleepNote]).map((t) => ({ ...t, content: t.content.replace(CONSENSUS_MARKER, '').trim() }));
    const synthesis = discussionSynthesis(question, transcript);
    expect(synthesis).toMatch(/^Synthèse de la discussion sur « Comment mieux dormir/);
    expect(synthesis).toMatch(/- Pour : Mieux dormir et garder de bonnes habitudes, c’est un gain réel/);
    expect(synthesis).toMatch(/- Pour : \[1\] "Habitudes de sommeil" : Une heure de lever fixe/);
    expect(synthesis).toMatch(/- Contre : Mieux dormir et garder de bonnes habitudes demande du temps/);
    expect(synthesis).toContain('Notes citées : "Habitudes de sommeil".');
    expect(synthesis).toContain('les agents ont convergé en 3 tours');
  });

  it('handles an empty transcript', () => {
    expect(discussionSynthesis('Why?', [])).toContain('no turn was taken');
  });
});

describe('the question behind a debate instruction', () => {
  it('drops the instruction so turns talk about the topic', () => {
    const { withoutInstruction } = jest.requireActual('./discussion-answer');
    expect(withoutInstruction('Débattez : faut-il tout noter ?')).toBe('faut-il tout noter ?');
    expect(withoutInstruction('Discuss the pros and cons: remote work')).toBe('remote work');
    expect(withoutInstruction('Faut-il tout noter ?')).toBe('Faut-il tout noter ?');
  });
});
