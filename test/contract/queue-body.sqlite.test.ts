import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/local/sqlite/db.ts';
import { SqliteQueues } from '../../src/adapters/local/sqlite/queue.ts';
import type { IngestedEvent } from '../../src/core/alerts/model.ts';

const event = (n: number, rawBody: string): IngestedEvent => ({
  eventId: `evt_${n}`,
  source: 'grafana',
  receivedAt: '2026-01-01T00:00:00.000Z',
  deliveryId: `msg_${n}`,
  rawBody,
  headers: { 'content-type': 'application/json', 'webhook-id': `msg_${n}` },
});

describe.each(['thread', 'inline'] as const)('SqliteQueue bodies, %s writer', (writer) => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-queue-body-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives back raw bodies exactly: newlines, NUL, line separators, astral characters, the empty body', async () => {
    const raws = ['{"a":"x"}\n\n', '{"a":"\\u0000"}\u0000', '{"a":"\u2028\u2029\r\n"}', '["é🔥"]', '', '\n'];
    const queues = await SqliteQueues.open({ file: join(dir, 'q.db'), writer });
    const q = queues.queue<IngestedEvent>('events');
    for (const [n, raw] of raws.entries()) await q.send(event(n, raw));
    const got = await q.receive(10);
    expect(got.map((m) => m.body)).toEqual(raws.map((raw, n) => event(n, raw)));
    await queues.close();
  });

  it('reads messages an earlier version stored as plain JSON, dead letters included', async () => {
    const file = join(dir, 'q.db');
    const db = openDatabase(file);
    const insert = db.prepare(
      `INSERT INTO queue_messages (queue, body, receive_count, visible_at, sent_at, state, dead_at)
       VALUES ('events', ?, 0, 0, 0, ?, ?)`,
    );
    insert.run(JSON.stringify(event(1, '{"old":"row\\n"}\n')), 'ready', null);
    insert.run(JSON.stringify(event(2, '{"dead":true}')), 'dead', 1);
    db.close();

    const queues = await SqliteQueues.open({ file, writer });
    const q = queues.queue<IngestedEvent>('events');
    const [m] = await q.receive(10);
    expect(m!.body).toEqual(event(1, '{"old":"row\\n"}\n'));
    const dead = await q.listDead({ limit: 10 });
    expect(dead.items.map((d) => d.body)).toEqual([event(2, '{"dead":true}')]);
    await queues.close();
  });
});
