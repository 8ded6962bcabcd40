#!/usr/bin/env node
/**
 * Long test (not part of `npm test`): streams a ~1 GB CSV through the gateway twice — HTTP
 * POST /uploads, then the CLI — while sampling the gateway process's RSS from /proc, and fails
 * when RSS grows more than RECEIVE_LIMIT_MIB while the file streams in (the gateway must never
 * hold a file in memory). RSS during the load itself is the in-process ClickHouse engine (chDB)
 * and is reported, bounded more loosely by LOAD_LIMIT_MIB.
 *
 *   npm run build && node scripts/long-tests/big-upload.js [SIZE_MIB=1024]
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const ROOT = path.resolve(__dirname, '../..');
const SIZE_MIB = Number(process.argv[2] ?? 1024);
const RECEIVE_LIMIT_MIB = 200;
const LOAD_LIMIT_MIB = 3072;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-gw-long-'));

function writeCsv(file, seed) {
  const out = fs.createWriteStream(file);
  let written = 0;
  let rows = 0;
  let n = seed;
  out.write('__time,Branch,ProductLine,CardName,grossRevenue,totalCost,lineItemCount\n');
  return new Promise((resolve, reject) => {
    const more = () => {
      while (written < SIZE_MIB * 1024 * 1024) {
        let chunk = '';
        for (let i = 0; i < 5000; i += 1, rows += 1) {
          n = (n * 1103515245 + 12345) % 2147483648;
          const t = new Date(Date.UTC(2024, 0, 1) + (n % (365 * 86400)) * 1000).toISOString();
          chunk += `${t},B${n % 17},Line ${n % 5},"Customer ${n % 9973}, Ltd",${(n % 100000) / 100},${(n % 50000) / 100},${1 + (n % 4)}\n`;
        }
        written += chunk.length;
        if (!out.write(chunk)) return out.once('drain', more);
      }
      out.end(() => resolve(rows));
    };
    out.on('error', reject);
    more();
  });
}

function rssMib(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

async function startGateway() {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/index.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: path.join(dir, 'data'),
      PORT: '0',
      NODE_ENV: 'test',
      UPLOAD_MAX_BYTES: String(4 * 1024 ** 3),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'listening') resolve(entry.url);
      } catch {}
    });
    child.once('exit', (code) => reject(new Error(`gateway exited ${code}`)));
  });
  return { child, url };
}

/** Samples RSS every 100 ms into the current phase's peak. */
function sampler(pid) {
  const peaks = {};
  let phase = 'idle';
  const timer = setInterval(() => {
    peaks[phase] = Math.max(peaks[phase] ?? 0, rssMib(pid));
  }, 100);
  return { set: (p) => (phase = p), peaks, stop: () => clearInterval(timer) };
}

function postFile(url, file, onSent) {
  return new Promise((resolve, reject) => {
    const size = fs.statSync(file).size;
    const req = http.request(
      `${url}/uploads?dataset=long-http&kind=sales`,
      { method: 'POST', headers: { 'content-length': size } },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(JSON.parse(body)));
      },
    );
    req.on('error', reject);
    const stream = fs.createReadStream(file);
    stream.on('end', onSent);
    stream.pipe(req);
  });
}

async function main() {
  const httpFile = path.join(dir, 'http.csv');
  const cliFile = path.join(dir, 'cli.csv');
  const [httpRows, cliRows] = await Promise.all([writeCsv(httpFile, 1), writeCsv(cliFile, 2)]);
  console.log(`files: ${SIZE_MIB} MiB each, ${httpRows} and ${cliRows} rows`);
  const { child, url } = await startGateway();
  const rss = sampler(child.pid);
  await new Promise((r) => setTimeout(r, 1000));
  const baseline = rssMib(child.pid);
  const report = {};
  try {
    rss.set('http-receive');
    let t = Date.now();
    const httpUpload = await postFile(url, httpFile, () => rss.set('http-load'));
    report.http = {
      status: httpUpload.status,
      rows: httpUpload.rowsLoaded,
      receiveMs: httpUpload.receiveMs,
      loadMs: httpUpload.loadMs,
      wallMs: Date.now() - t,
    };
    if (httpUpload.status !== 'LOADED' || httpUpload.rowsLoaded !== httpRows)
      throw new Error(`HTTP upload: ${JSON.stringify(httpUpload)}`);

    rss.set('cli-receive');
    t = Date.now();
    const cli = spawn(
      process.execPath,
      [
        path.join(ROOT, 'dist/src/cli/kpi-gateway.js'),
        'ingest',
        cliFile,
        '--dataset',
        'long-cli',
        '--kind',
        'sales',
        '--url',
        url,
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    cli.stdout.on('data', (c) => (out += c));
    // The CLI's body is fully sent once the gateway's ledger says RECEIVED/LOADING; approximate with the HTTP phase split.
    const code = await new Promise((r) => cli.once('exit', r));
    const cliUpload = JSON.parse(out);
    report.cli = {
      exit: code,
      status: cliUpload.status,
      rows: cliUpload.rowsLoaded,
      receiveMs: cliUpload.receiveMs,
      loadMs: cliUpload.loadMs,
      wallMs: Date.now() - t,
    };
    if (code !== 0 || cliUpload.rowsLoaded !== cliRows) throw new Error(`CLI upload: ${out}`);
  } finally {
    rss.stop();
    child.kill('SIGTERM');
  }
  const growth = Object.fromEntries(Object.entries(rss.peaks).map(([p, v]) => [p, Math.round(v - baseline)]));
  console.log(
    JSON.stringify({ baselineMib: Math.round(baseline), peakGrowthMib: growth, ...report }, null, 2),
  );
  const receiveGrowth = growth['http-receive'] ?? 0;
  if (receiveGrowth > RECEIVE_LIMIT_MIB)
    throw new Error(`RSS grew ${receiveGrowth} MiB while receiving (limit ${RECEIVE_LIMIT_MIB})`);
  const worst = Math.max(...Object.values(growth));
  if (worst > LOAD_LIMIT_MIB) throw new Error(`RSS grew ${worst} MiB (limit ${LOAD_LIMIT_MIB})`);
  console.log('OK: memory stayed bounded while streaming.');
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
