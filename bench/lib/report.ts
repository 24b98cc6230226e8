/** The printed result: a compact table, the ratios against their targets, and one JSON line. */
import type { LoadFigures } from './load.ts';

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface Results {
  fileBytes: number;
  runs: number;
  cores: number;
  /** 1-minute load average when the measurements started and ended: other work on the machine skews figures. */
  loadavg: [number, number];
  /** MB/s of each run, per server, per direction. */
  get: Record<string, number[]>;
  put: Record<string, number[]>;
  rss: { phase: string; peakMB: number }[];
  integrity: string;
  load: { fileBytes: number; connections: number; amount: number; byServer: Record<string, LoadFigures> };
}

interface Ratio {
  name: string;
  value: number;
  target: number;
  ok: boolean;
}

const f = (n: number, digits = 0) => n.toFixed(digits);
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);
const mark = (ok: boolean) => (ok ? '✓' : '✗');

export function report(r: Results): string {
  const med = (m: Record<string, number[]>, k: string) => median(m[k] ?? [NaN]);
  const ratio = (name: string, a: number, b: number, target: number): Ratio => ({
    name,
    value: a / b,
    target,
    ok: a / b >= target,
  });
  const ratios = [
    ratio('Cairn GET / nginx GET', med(r.get, 'cairn'), med(r.get, 'nginx'), 0.35),
    ratio('Cairn GET / bare Node GET', med(r.get, 'cairn'), med(r.get, 'bare node'), 0.7),
    ratio('Cairn PUT / nginx PUT', med(r.put, 'cairn'), med(r.put, 'nginx'), 0.6),
  ];
  const peak = Math.max(...r.rss.map((p) => p.peakMB));
  const out: string[] = [];
  out.push('');
  out.push(
    `== Cairn sharing benchmark: ${f(r.fileBytes / 2 ** 30, 0)} GiB file (${r.fileBytes} B), median of ${r.runs} runs,`,
  );
  out.push('   MB/s = 10^6 bytes/s, curl client, servers and files on the same disk (bench/.work)');
  out.push(`   ${r.cores} cores, 1-min load average ${f(r.loadavg[0], 1)} at start, ${f(r.loadavg[1], 1)} at end`);
  out.push(`${pad('server', 11)}${lpad('GET MB/s', 9)}  ${pad('(runs)', 18)}${lpad('PUT MB/s', 9)}  (runs)`);
  for (const s of Object.keys(r.get)) {
    const runs = (m: Record<string, number[]>) => (m[s] ?? []).map((x) => f(x)).join(' ');
    out.push(
      `${pad(s, 11)}${lpad(f(med(r.get, s)), 9)}  ${pad(`(${runs(r.get)})`, 18)}${lpad(f(med(r.put, s)), 9)}  (${runs(r.put)})`,
    );
  }
  out.push('');
  for (const q of ratios)
    out.push(`${pad(q.name, 27)}${lpad(f(q.value, 2), 6)}   target ≥ ${f(q.target, 2)}  ${mark(q.ok)}`);
  out.push(
    `${pad('Cairn peak RSS (VmHWM)', 27)}${lpad(f(peak), 6)} MB  target ≤ 200 MB  ${mark(peak <= 200)}   (${r.rss
      .map((p) => `${p.phase} ${f(p.peakMB)}`)
      .join(', ')})`,
  );
  out.push(`integrity: ${r.integrity}`);
  const L = r.load;
  out.push('');
  out.push(
    `== ${L.connections} concurrent downloads of a ${f(L.fileBytes / 1e6)} MB file, ${L.amount} requests (autocannon)`,
  );
  out.push(
    `${pad('server', 11)}${lpad('req/s', 8)}${lpad('MB/s', 8)}${lpad('p50 ms', 9)}${lpad('p99 ms', 9)}${lpad('2xx', 6)}${lpad('errors', 8)}`,
  );
  for (const [s, x] of Object.entries(L.byServer)) {
    out.push(
      `${pad(s, 11)}${lpad(f(x.reqPerSec, 1), 8)}${lpad(f(x.mbps), 8)}${lpad(f(x.p50ms), 9)}${lpad(f(x.p99ms), 9)}${lpad(String(x.ok), 6)}${lpad(String(x.errors), 8)}`,
    );
  }
  const c = L.byServer.cairn;
  const n = L.byServer.nginx;
  if (c && n) out.push(`Cairn / nginx under load: ${f(c.mbps / n.mbps, 2)} of the throughput`);

  const round = (x: number, d = 1) => Number(x.toFixed(d));
  const summary = {
    bench: 'sharing',
    unit: 'MB/s (1 MB = 1e6 bytes)',
    fileBytes: r.fileBytes,
    runs: r.runs,
    loadavg: r.loadavg.map((x) => round(x, 1)),
    getMBps: Object.fromEntries(Object.keys(r.get).map((s) => [s, round(med(r.get, s))])),
    putMBps: Object.fromEntries(Object.keys(r.put).map((s) => [s, round(med(r.put, s))])),
    ratios: Object.fromEntries(ratios.map((q) => [q.name, { value: round(q.value, 3), target: q.target, ok: q.ok }])),
    cairnPeakRssMB: { value: round(peak), target: 200, ok: peak <= 200 },
    integrity: r.integrity,
    load: Object.fromEntries(
      Object.entries(L.byServer).map(([s, x]) => [
        s,
        { reqPerSec: round(x.reqPerSec), mbps: round(x.mbps), p50ms: x.p50ms, p99ms: x.p99ms, errors: x.errors },
      ]),
    ),
  };
  out.push('');
  out.push(JSON.stringify(summary));
  return out.join('\n');
}
