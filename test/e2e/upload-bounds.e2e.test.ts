import { graphql, startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';

/**
 * CSV bounds over HTTP against the built gateway, with the limits set through its configuration:
 * a refused file answers 422 with a typed code naming the line, and the ledger holds its row.
 */
let gateway: GatewayProcess;

beforeAll(async () => {
  gateway = await startGatewayProcess({
    CSV_MAX_LINE_BYTES: String(64 * 1024),
    CSV_MAX_FIELD_BYTES: '4096',
    CSV_MAX_COLUMNS: '100',
  });
});
afterAll(async () => {
  await gateway.stop();
});

async function ledgerRow(id: string) {
  const result = await graphql(
    gateway.url,
    'query($id: ID!) { upload(id: $id) { status error { code message } rowErrors(first: 5) { line column reason } } }',
    { id },
  );
  return result.data.upload;
}

describe('uploads past the configured CSV bounds', () => {
  test('a first line of 300 KB: 422 LINE_TOO_LARGE and a REJECTED ledger row (it used to be a 503 and no row)', async () => {
    const { status, body } = await upload(gateway.url, 'e2e-first-line', `${'a,'.repeat(150 * 1024)}\n1\n`);
    expect(status).toBe(422);
    expect(body).toMatchObject({ status: 'REJECTED', error: { code: 'LINE_TOO_LARGE' } });
    expect(body.error.message).toMatch(/^Line 1 is longer than 65536 bytes/);
    expect(await ledgerRow(body.id)).toMatchObject({
      status: 'REJECTED',
      error: { code: 'LINE_TOO_LARGE' },
      rowErrors: [{ line: 1, column: null, reason: 'is longer than 65536 bytes' }],
    });
  });

  test('a cell past the field limit names its line and column', async () => {
    const csv = `time,grossRevenue,notes\n2025-01-01T00:00:00Z,1.00,ok\n2025-01-01T00:00:00Z,2.00,${'n'.repeat(5000)}\n`;
    const { status, body } = await upload(gateway.url, 'e2e-cell', csv);
    expect(status).toBe(422);
    expect(body.error).toEqual({
      code: 'FIELD_TOO_LARGE',
      message:
        'Line 3, column notes: a field is longer than 4096 bytes, the limit for one field; nothing was loaded.',
    });
  });

  test("a header wider than the column limit is a typed rejection, not the engine's text", async () => {
    const header = Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',');
    const { status, body } = await upload(gateway.url, 'e2e-wide', `${header}\n1\n`);
    expect(status).toBe(422);
    expect(body.error).toEqual({
      code: 'TOO_MANY_COLUMNS',
      message: 'The header has 5000 columns; at most 100 are accepted.',
    });
  });

  test('a file within the bounds loads as before', async () => {
    const { status, body } = await upload(
      gateway.url,
      'e2e-fine',
      'time,grossRevenue\n2025-01-01T00:00:00Z,1.00\n',
    );
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'LOADED', rowsLoaded: 1 });
  });
});
