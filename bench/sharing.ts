/**
 * `npm run bench:sharing`: Cairn's presigned-URL transfers (encrypt on PUT, decrypt on GET) beside
 * nginx and a bare Node server, on the same disk, with curl as the one client; then 200 concurrent
 * downloads of a 10 MB file with autocannon. Prints figures and ratios; asserts nothing.
 *   --purge   also delete the generated source files at the end (they are reused otherwise)
 */
import { mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBareNode } from './lib/bare-node.ts';
import { startCairn } from './lib/cairn.ts';
import { curlGet, curlPut, curlSha256 } from './lib/curl.ts';
import { ensureRandomFile, sha256File } from './lib/files.ts';
import { loadTest } from './lib/load.ts';
import { type RefServer, startNginx } from './lib/nginx.ts';
import { installCleanup, log, removeLater, run, shutdown, wasInterrupted } from './lib/proc.ts';
import { type Results, report } from './lib/report.ts';
import { readRss } from './lib/rss.ts';

const WORK = fileURLToPath(new URL('./.work', import.meta.url));
const BIG = { name: 'source-1GiB.bin', bytes: 2 ** 30 };
const SMALL = { name: 'source-10MB.bin', bytes: 10_000_000 };
const RUNS = 3;
const CONNECTIONS = 200;
const AMOUNT = 1000;

async function main() {
  installCleanup();
  mkdirSync(WORK, { recursive: true });
  const bigPath = join(WORK, BIG.name);
  const smallPath = join(WORK, SMALL.name);
  log(`bench:sharing — ${availableParallelism()} cores, node ${process.version}, work dir ${WORK}`);
  log(
    `  ${BIG.name}: ${await ensureRandomFile(bigPath, BIG.bytes)}; ${SMALL.name}: ${await ensureRandomFile(smallPath, SMALL.bytes)}`,
  );
  const sourceSha = await sha256File(bigPath);
  const loadBefore = loadavg()[0]!;

  log('starting nginx, bare Node and Cairn');
  const [nginx, bare] = [await startNginx(WORK), await startBareNode(WORK)];
  const cairn = await startCairn(WORK);
  const rss: Results['rss'] = [{ phase: 'started', peakMB: readRss(cairn.pid).peakMB }];
  const names = ['nginx', 'bare node', 'cairn'] as const;
  const refs: Record<string, RefServer> = { nginx, 'bare node': bare };
  const get: Results['get'] = { nginx: [], 'bare node': [], cairn: [] };
  const put: Results['put'] = { nginx: [], 'bare node': [], cairn: [] };
  const rotate = <T>(xs: readonly T[], r: number) => [...xs.slice(r % xs.length), ...xs.slice(0, r % xs.length)];
  const settle = () => run('sync', []); // one server's writeback is not billed to the next
  const show = (dir: string, s: string, r: number, mbps: number) =>
    log(`  ${dir} ${s.padEnd(9)} run ${r + 1}/${RUNS}: ${mbps.toFixed(0)} MB/s`);

  log(`PUT ${BIG.bytes} bytes × ${RUNS} per server`);
  let cairnFileId = '';
  let cairnSha = '';
  for (let r = 0; r < RUNS; r++) {
    for (const s of rotate(names, r)) {
      await settle();
      if (s === 'cairn') {
        const up = await cairn.upload(bigPath, `big-${r}.bin`, BIG.bytes);
        [cairnFileId, cairnSha] = [up.fileId, up.sha256];
        put.cairn!.push(up.put.mbps);
        show('PUT', s, r, up.put.mbps);
      } else {
        const t = await curlPut(`${refs[s]!.putBase}big-${r}.bin`, bigPath);
        rmSync(join(refs[s]!.putDir, `big-${r}.bin`), { force: true });
        put[s]!.push(t.mbps);
        show('PUT', s, r, t.mbps);
      }
    }
  }
  rss.push({ phase: 'after PUT', peakMB: readRss(cairn.pid).peakMB });

  log(`GET ${BIG.bytes} bytes × ${RUNS} per server`);
  const cairnUrl = await cairn.presign(cairnFileId, 3600);
  for (let r = 0; r < RUNS; r++) {
    for (const s of rotate(names, r)) {
      await settle();
      const t = await curlGet(s === 'cairn' ? cairnUrl : `${refs[s]!.getBase}${BIG.name}`);
      if (t.bytes !== BIG.bytes) throw new Error(`GET from ${s}: ${t.bytes} bytes, expected ${BIG.bytes}`);
      get[s]!.push(t.mbps);
      show('GET', s, r, t.mbps);
    }
  }
  rss.push({ phase: 'after GET', peakMB: readRss(cairn.pid).peakMB });

  log('integrity: downloading once more from Cairn into SHA-256 (untimed)');
  const down = await curlSha256(cairnUrl);
  const integrity =
    down.sha256 === sourceSha && cairnSha === sourceSha
      ? 'ok'
      : `MISMATCH source ${sourceSha}, Cairn recorded ${cairnSha}, downloaded ${down.sha256} (${down.bytes} B)`;

  log(`load: ${CONNECTIONS} connections, ${AMOUNT} downloads of ${SMALL.bytes} bytes`);
  const small = await cairn.upload(smallPath, SMALL.name, SMALL.bytes);
  const smallUrl = await cairn.presign(small.fileId, 3600);
  await settle();
  const loadCairn = await loadTest('cairn', smallUrl, CONNECTIONS, AMOUNT);
  rss.push({ phase: 'after load', peakMB: readRss(cairn.pid).peakMB });
  await settle();
  const loadNginx = await loadTest('nginx', `${nginx.getBase}${SMALL.name}`, CONNECTIONS, AMOUNT);

  await Promise.all([cairn.close(), nginx.close(), bare.close()]);
  const loadAfter = loadavg()[0]!;
  process.stdout.write(
    `${report({
      fileBytes: BIG.bytes,
      runs: RUNS,
      cores: availableParallelism(),
      loadavg: [loadBefore, loadAfter],
      get,
      put,
      rss,
      integrity,
      load: {
        fileBytes: SMALL.bytes,
        connections: CONNECTIONS,
        amount: AMOUNT,
        byServer: { cairn: loadCairn, nginx: loadNginx },
      },
    })}\n`,
  );
  if (process.argv.includes('--purge')) [bigPath, smallPath].forEach(removeLater);
  else log(`kept ${BIG.name} and ${SMALL.name} in ${WORK} for the next run (--purge removes them)`);
}

main().then(
  () => shutdown(),
  async (e: unknown) => {
    if (wasInterrupted()) return;
    log(`bench:sharing failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    await shutdown();
    process.exit(1);
  },
);
