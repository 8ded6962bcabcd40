import { parse, type OperationDefinitionNode } from 'graphql';
import { ResponseCache, responseCacheKey, type CachedResponse } from '../../src/cache/response-cache';
import { isCacheableOperation } from '../../src/graphql/cacheable-operation';

const answer = (body: string): CachedResponse => ({
  status: 200,
  headers: ['content-type', 'application/json'],
  body,
  etag: undefined,
});

describe('ResponseCache', () => {
  test('answers until the TTL passes', () => {
    let now = 1_000;
    const cache = new ResponseCache(5_000, 1_000_000, () => now);
    cache.set('k', answer('{"data":1}'));
    now += 4_999;
    expect(cache.get('k')?.body).toBe('{"data":1}');
    now += 1;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.sizeBytes).toBe(0);
  });

  test('stays within its byte budget, dropping the least recently used first', () => {
    const body = 'x'.repeat(1_000);
    const entryBytes = 2 * body.length + 2 + 256;
    const budget = 5 * entryBytes + 10;
    const cache = new ResponseCache(60_000, budget);
    for (const key of ['a', 'b', 'c', 'd', 'e']) cache.set(key, answer(body));
    expect(cache.size).toBe(5);
    expect(cache.get('a')).toBeDefined(); // a is now the most recently used, b the least
    cache.set('f', answer(body));
    expect(cache.get('b')).toBeUndefined();
    expect(['a', 'c', 'd', 'e', 'f'].map((k) => cache.get(k) !== undefined)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(cache.sizeBytes).toBeLessThanOrEqual(budget);
  });

  test('replacing a key does not count it twice; an answer too large for the budget is not kept', () => {
    const cache = new ResponseCache(60_000, 40_000);
    cache.set('a', answer('1'));
    const one = cache.sizeBytes;
    cache.set('a', answer('2'));
    expect(cache.sizeBytes).toBe(one);
    expect(cache.get('a')?.body).toBe('2');
    cache.set('big', answer('y'.repeat(6_000)));
    expect(cache.get('big')).toBeUndefined();
  });

  test('off when the TTL or the budget is 0', () => {
    for (const cache of [new ResponseCache(0, 1_000_000), new ResponseCache(60_000, 0)]) {
      expect(cache.enabled).toBe(false);
      cache.set('k', answer('{}'));
      expect(cache.get('k')).toBeUndefined();
    }
  });

  test("the key changes with the data generation, the caller's access, the request bytes and the negotiation headers", () => {
    const base = {
      method: 'POST',
      request: '{"query":"{ sales }"}',
      accept: 'application/json',
      dataGeneration: 3,
      access: 'reader|acme-*',
      negotiation: ['application/json', '', ''],
    };
    const key = responseCacheKey(base);
    expect(responseCacheKey({ ...base })).toBe(key);
    for (const change of [
      { dataGeneration: 4 },
      { request: '{"query":"{ sales  }"}' },
      { accept: 'application/graphql-response+json' },
      { method: 'GET' },
      { negotiation: ['application/json', 'true', ''] },
      { access: 'reader|beta-*' },
      { access: 'reader,uploader|acme-*' },
    ]) {
      expect(responseCacheKey({ ...base, ...change })).not.toBe(key);
    }
  });
});

describe('which operations may be cached whole', () => {
  const operation = (text: string) => parse(text).definitions[0] as OperationDefinitionNode;

  test.each([
    ['{ sales(dataset: "d", range: { from: "a", to: "b" }) { totals { netSales { value } } } }', true],
    [
      'query Q { __typename turnout(election: "e", range: { from: "a", to: "b" }) { totals { turnout { value } } } kpiCatalog { id } }',
      true,
    ],
    ['{ kpiCatalog(dataset: "d") { id supported } }', true],
    ['{ __typename }', false],
    ['{ uploads { nodes { id status } } }', false],
    [
      '{ sales(dataset: "d", range: { from: "a", to: "b" }) { totals { netSales { value } } } upload(id: "u") { status } }',
      false,
    ],
    ['{ datasets { name rows } }', false],
    [
      '{ ...F } fragment F on Query { sales(dataset: "d", range: { from: "a", to: "b" }) { totals { netSales { value } } } }',
      false,
    ],
    [
      '{ sales(dataset: "d", range: { from: "a", to: "b" }) @include(if: true) { totals { netSales { value } } } }',
      false,
    ],
    ['mutation { startUpload(id: "u") { status } }', false],
  ])('%s → %s', (text, expected) => {
    expect(isCacheableOperation(operation(text))).toBe(expected);
  });
});
