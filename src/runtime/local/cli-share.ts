import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Transform } from 'node:stream';
import { SingleBar, Presets } from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import { toPrincipal } from '../../core/users/service.ts';
import { parseDurationSeconds } from '../../core/units.ts';
import { withServices } from './cli-context.ts';
import type { LocalServices } from './compose.ts';

const duration = (v: string) => {
  const s = parseDurationSeconds(v);
  if (s === null || s < 60) throw new InvalidArgumentError('use e.g. 90m, 12h, 2d, 1w');
  return s;
};

async function actingUser(s: LocalServices, as: string | undefined) {
  const name = as ?? s.adminUsername;
  const user = await s.usersRepo.get(name);
  if (!user) throw new Error(`no user ${name}: add it with \`npx cairn user add ${name}\` or pass --as`);
  return toPrincipal(user);
}

export function shareCommands(program: Command) {
  const share = program.command('share').description('share files from the command line');

  share
    .command('create <files...>')
    .description('upload files (with a progress bar) and print the share link')
    .option('--expires <duration>', 'how long the link works, e.g. 2d (default: the configured default)', duration)
    .option('--to <users...>', 'recipients from the user pool: only they, signed in, can download')
    .option('--max-downloads <n>', 'stop after this many downloads', (v) => {
      if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
      return Number(v);
    })
    .option('--as <user>', 'the owner of the share (default: the admin account)')
    .action(async (paths: string[], opts: { expires?: number; to?: string[]; maxDownloads?: number; as?: string }) =>
      withServices(async (s) => {
        const owner = await actingUser(s, opts.as);
        const fileIds: string[] = [];
        const total = paths.reduce((n, p) => n + statSync(p).size, 0);
        const bar = new SingleBar(
          {
            format: 'uploading [{bar}] {percentage}% | {value}/{total} bytes | {file}',
            hideCursor: true,
            stream: process.stderr,
          },
          Presets.shades_classic,
        );
        bar.start(total, 0, { file: '' });
        for (const path of paths) {
          const size = statSync(path).size;
          const up = await s.sharing.createUpload(owner, { name: basename(path), size });
          const counter = new Transform({
            transform(chunk: Buffer, _enc, cb) {
              bar.increment(chunk.length, { file: basename(path) });
              cb(null, chunk);
            },
          });
          await s.sharing.storeUpload(
            owner,
            up.fileId,
            createReadStream(path, { highWaterMark: 1 << 20 }).pipe(counter),
          );
          await s.sharing.completeUpload(owner, up.fileId);
          fileIds.push(up.fileId);
        }
        bar.stop();
        const created = await s.sharing.createShare(owner, {
          fileIds,
          ...(opts.expires ? { expiresInSeconds: opts.expires } : {}),
          ...(opts.to ? { recipients: opts.to } : {}),
          ...(opts.maxDownloads ? { maxDownloads: opts.maxDownloads } : {}),
        });
        process.stdout.write(`${s.publicUrl}/s/${created.id}\n`);
        process.stderr.write(
          `expires ${created.expiresAt}${created.recipients.length ? `; for ${created.recipients.join(', ')}` : ''}\n`,
        );
      }),
    );

  share
    .command('list')
    .description('list your shares')
    .option('--as <user>', 'whose shares (default: the admin account)')
    .action((opts: { as?: string }) =>
      withServices(async (s) => {
        const owner = await actingUser(s, opts.as);
        let cursor: string | undefined;
        do {
          const page = await s.sharing.listMine(owner, { limit: 200, ...(cursor ? { cursor } : {}) });
          for (const sh of page.items) {
            const who = sh.kind === 'link' ? 'link' : `to ${sh.recipients.join(',')}`;
            process.stdout.write(
              `${sh.id}\t${sh.status}\t${sh.expiresAt}\t${sh.downloadCount} downloads\t${who}\t${sh.files.map((f) => f.name).join(', ')}\n`,
            );
          }
          cursor = page.cursor;
        } while (cursor);
      }),
    );

  share
    .command('revoke <id>')
    .description('revoke a share: its link and every presigned URL stop working at once')
    .option('--as <user>', 'the owner (default: the admin account)')
    .action((id: string, opts: { as?: string }) =>
      withServices(async (s) => {
        await s.sharing.revoke(await actingUser(s, opts.as), id);
        process.stdout.write(`revoked ${id}\n`);
      }),
    );
}
