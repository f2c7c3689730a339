import { containerUrl, isLoopbackUrl, portOf } from './container-url';

describe('container URLs', () => {
  it('knows a loopback endpoint, which containers cannot reach as is', () => {
    expect(isLoopbackUrl('http://127.0.0.1:4010')).toBe(true);
    expect(isLoopbackUrl('http://localhost:4010/v1')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:4010')).toBe(true);
    expect(isLoopbackUrl('https://llm.example.test')).toBe(false);
  });

  it('points a loopback endpoint at the Docker host, on the relay port, keeping its path', () => {
    expect(containerUrl('http://127.0.0.1:4010', 45000)).toBe('http://host.docker.internal:45000');
    expect(containerUrl('http://localhost:4010/proxy/anthropic', 45000)).toBe('http://host.docker.internal:45000/proxy/anthropic');
  });

  it('reads the port, or the scheme default', () => {
    expect(portOf('http://127.0.0.1:4010')).toBe(4010);
    expect(portOf('http://localhost')).toBe(80);
    expect(portOf('https://localhost')).toBe(443);
  });
});
