import { parseReplLine } from './cli-commands';

describe('a line typed in the interactive session', () => {
  it('is a message unless it is a known command', () => {
    expect(parseReplLine('  Bonjour  ')).toEqual({ kind: 'message', text: 'Bonjour' });
    expect(parseReplLine('/etc/hosts est-il lu ?')).toEqual({ kind: 'message', text: '/etc/hosts est-il lu ?' });
    expect(parseReplLine('   ')).toEqual({ kind: 'empty' });
  });

  it('reads /mode, /new, /notes, /help, /quit', () => {
    expect(parseReplLine('/mode Plume')).toEqual({ kind: 'mode', mode: 'plume' });
    expect(parseReplLine('/mode')).toEqual({ kind: 'mode' });
    expect(parseReplLine('/new')).toEqual({ kind: 'new' });
    expect(parseReplLine('/notes')).toEqual({ kind: 'notes' });
    expect(parseReplLine('/help')).toEqual({ kind: 'help' });
    expect(parseReplLine('/quit')).toEqual({ kind: 'quit' });
  });

  it('names what is wrong', () => {
    expect(parseReplLine('/mode bard')).toEqual({ kind: 'invalid', problem: 'mode inconnu : bard (auto, plume, mimir, discussion)' });
    expect(parseReplLine('/nwe')).toEqual({ kind: 'invalid', problem: 'commande inconnue : /nwe (/help pour la liste)' });
    expect(parseReplLine('/new maintenant')).toEqual({ kind: 'invalid', problem: "/new ne prend pas d'argument" });
  });
});
