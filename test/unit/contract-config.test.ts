import path from 'node:path';
import { loadConfig } from '../../src/config/config';

const MANIFEST = path.resolve(__dirname, '../../operations/generated/persisted-documents.json');

describe('config of persisted operations and HTTP caching', () => {
  test('defaults: allow-list off, the manifest codegen writes, caches revalidate every time', () => {
    expect(loadConfig({}).operations).toEqual({
      allowListOnly: false,
      manifest: path.resolve('operations/generated/persisted-documents.json'),
      httpCacheMaxAgeSeconds: 0,
    });
  });

  test('allow-list mode with a manifest that exists', () => {
    expect(
      loadConfig({
        OPERATIONS_ALLOW_LIST: 'true',
        OPERATIONS_MANIFEST: MANIFEST,
        HTTP_CACHE_MAX_AGE_SECONDS: '30',
      }).operations,
    ).toEqual({ allowListOnly: true, manifest: MANIFEST, httpCacheMaxAgeSeconds: 30 });
  });

  test('bad values fail fast, naming the variable', () => {
    expect(() => loadConfig({ OPERATIONS_ALLOW_LIST: 'yes' })).toThrow(/OPERATIONS_ALLOW_LIST/);
    expect(() =>
      loadConfig({ OPERATIONS_ALLOW_LIST: 'true', OPERATIONS_MANIFEST: '/nonexistent/manifest.json' }),
    ).toThrow(/OPERATIONS_MANIFEST: no file at \/nonexistent\/manifest.json/);
    expect(() => loadConfig({ HTTP_CACHE_MAX_AGE_SECONDS: '-1' })).toThrow(/HTTP_CACHE_MAX_AGE_SECONDS/);
    expect(() => loadConfig({ HTTP_CACHE_MAX_AGE_SECONDS: '999999' })).toThrow(/HTTP_CACHE_MAX_AGE_SECONDS/);
  });
});
