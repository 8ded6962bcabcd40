import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseApiKeys } from '../../src/config/api-keys-config';

/**
 * docker-compose.yml and the Dockerfile are checked without a Docker engine (none runs on our
 * machines): Debian's docker-compose 1.29 (installed by scripts/test-prerequisites.sh) interpolates
 * the file with .env.example and validates it against the Compose specification's JSON schema it
 * ships (compose/config/compose_spec.json). The image itself is never built here.
 */
const root = path.resolve(__dirname, '../..');
const composeFile = path.join(root, 'docker-compose.yml');
const envExample = path.join(root, '.env.example');
const compose = readFileSync(composeFile, 'utf8');

function composeBinary(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v docker-compose'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function composeConfig(binary: string, file: string, envFile: string) {
  return spawnSync(binary, ['--env-file', envFile, '-f', file, 'config', '-q'], {
    encoding: 'utf8',
    cwd: root,
    env: { PATH: process.env.PATH ?? '' },
  });
}

const binary = composeBinary();
// CI installs the binary before the tests (pretest); a developer without it still runs the rest.
if (!binary && process.env.CI)
  throw new Error('docker-compose is missing: scripts/test-prerequisites.sh installs it');
const withCompose = binary ? describe : describe.skip;

withCompose('docker-compose config (Compose specification schema)', () => {
  test('the file is valid with the variables of .env.example', () => {
    const result = composeConfig(binary ?? '', composeFile, envExample);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('a missing credential stops compose and names the variable', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'compose-env-'));
    const env = readFileSync(envExample, 'utf8').replace(/^REDIS_PASSWORD=.*$/m, '');
    writeFileSync(path.join(dir, '.env'), env);
    const result = composeConfig(binary ?? '', composeFile, path.join(dir, '.env'));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set REDIS_PASSWORD in .env');
  });

  test('an invalid dependency condition is refused by the schema', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'compose-bad-'));
    const bad = path.join(dir, 'docker-compose.yml');
    writeFileSync(bad, compose.replace('service_completed_successfully', 'service_finished'));
    const result = composeConfig(binary ?? '', bad, envExample);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('condition');
  });

  test('the gateway waits for the bucket init and Redis carries the password', () => {
    const resolved = execFileSync(binary ?? '', ['--env-file', envExample, '-f', composeFile, 'config'], {
      encoding: 'utf8',
      cwd: root,
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(resolved).toMatch(/minio-init:\n\s+condition: service_completed_successfully/);
    expect(resolved).toContain('mc mb --ignore-existing');
    expect(resolved).toMatch(/REDIS_URL: redis:\/\/:change-me-redis@redis:6379/);
  });
});

describe('docker-compose.yml conventions', () => {
  test('every published port is bound to 127.0.0.1', () => {
    const ports = [...compose.matchAll(/^\s+- "([^"]+)"$/gm)]
      .map((m) => m[1] ?? '')
      .filter((p) => /:\d+$/.test(p));
    expect(ports.length).toBeGreaterThanOrEqual(4);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  test('no credential is written in the file; every required variable is in .env.example', () => {
    expect(compose).not.toMatch(/PASSWORD: (?!\$\{)/);
    const required = new Set([...compose.matchAll(/\$\{([A-Z_]+):\?/g)].map((m) => m[1]));
    const example = readFileSync(envExample, 'utf8');
    expect([...required].sort()).toEqual([
      'API_KEYS',
      'CLICKHOUSE_PASSWORD',
      'CLICKHOUSE_USER',
      'MINIO_ROOT_PASSWORD',
      'MINIO_ROOT_USER',
      'REDIS_PASSWORD',
    ]);
    for (const name of required) expect(example).toMatch(new RegExp(`^${name}=.+$`, 'm'));
  });

  test('the example API key line is one the gateway accepts', () => {
    const line = /^API_KEYS=(.+)$/m.exec(readFileSync(envExample, 'utf8'))?.[1] ?? '';
    const [entry] = parseApiKeys(line);
    expect(entry?.roles).toEqual(['admin']);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');

  test('builds in one stage and runs from another with production dependencies only', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^FROM \S+ AS build$/m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/node_modules/m);
  });

  test('runs as a non-root user and checks /readyz', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\/readyz/m);
  });
});
