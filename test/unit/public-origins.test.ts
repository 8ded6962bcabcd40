import { loadConfig } from '../../src/config/config';
import { ownOrigins } from '../../src/server/public-origins';

/** Which page origins the embedded object store answers CORS for (presigned uploads from the dashboard). */
describe('the gateway’s own origins', () => {
  test('by default every name the Host check accepts, on the port the gateway listens on', () => {
    const { auth } = loadConfig({ DATA_DIR: '/tmp/x' });
    expect(ownOrigins(auth.allowedHosts, '127.0.0.1', 4000)).toEqual([
      'http://localhost:4000',
      'http://127.0.0.1:4000',
      'http://[::1]:4000',
    ]);
  });

  test('ALLOWED_HOSTS names them; with any Host allowed, the loopback names and the bound address', () => {
    expect(ownOrigins(['kpi.internal'], '0.0.0.0', 8080)).toEqual(['http://kpi.internal:8080']);
    expect(ownOrigins(null, '10.0.0.5', 80)).toEqual([
      'http://localhost:80',
      'http://127.0.0.1:80',
      'http://[::1]:80',
      'http://10.0.0.5:80',
    ]);
    expect(ownOrigins(null, '::', 80)).toHaveLength(3);
  });

  test('PUBLIC_ORIGINS replaces them and must hold origins only', () => {
    const config = loadConfig({ PUBLIC_ORIGINS: 'https://kpi.example.com, http://127.0.0.1:4000' });
    expect(config.publicOrigins).toEqual(['https://kpi.example.com', 'http://127.0.0.1:4000']);
    expect(loadConfig({}).publicOrigins).toBeUndefined();
    for (const bad of [
      'https://kpi.example.com/',
      'kpi.example.com',
      'ftp://x.example',
      'https://x.example/path',
    ])
      expect(() => loadConfig({ PUBLIC_ORIGINS: bad })).toThrow(/PUBLIC_ORIGINS: must be origins/);
  });
});
