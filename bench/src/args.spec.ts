import { parseArgs } from './args';

describe('parseArgs, the peer flags', () => {
  it('leaves the LangGraph phase off unless asked, with langgraph dev’s 10 workers by default', () => {
    expect(parseArgs([], {}).peer).toBeUndefined();
    const options = parseArgs(['--peer', 'langgraph'], {});
    expect(options).toMatchObject({ peer: 'langgraph', peerWorkers: 10, peerOpenStreams: 2000 });
    expect(parseArgs(['--peer=langgraph', '--peer-workers', '64', '--peer-open-streams', '100'], {})).toMatchObject({ peerWorkers: 64, peerOpenStreams: 100 });
  });

  it('refuses an unknown peer', () => {
    expect(() => parseArgs(['--peer', 'crewai'], {})).toThrow(/--peer must be "langgraph"/);
  });
});
