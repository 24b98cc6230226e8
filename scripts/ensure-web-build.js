// `npm start` runs this first: builds the web UI once if dist/web is missing or older than its sources.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const out = 'dist/web/index.html';
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);

if (!existsSync(out) || statSync(out).mtimeMs < newest('src/web')) {
  console.error('Building the web UI (dist/web)…');
  execSync('npx vite build --config src/web/vite.config.ts --logLevel warn', { stdio: 'inherit' });
}
