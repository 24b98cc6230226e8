import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteQueues } from '../../src/adapters/local/sqlite/queue.ts';
import {
  IngestService,
  type IngestSourceConfig,
  resolveSecret,
  signGithub,
  signStandardWebhook,
  standardWebhooksKey,
} from '../../src/core/alerts/ingest/index.ts';
import type { IngestedEvent } from '../../src/core/alerts/model.ts';
import { ManualClock } from '../../src/core/clock.ts';
import type { Queue } from '../../src/ports/queue.ts';

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const KEY = standardWebhooksKey(WHSEC);
const GH_SECRET = 'It’s a Secret to Everybody';
const TOKEN = 'tok_7d9f0c1e2b3a4d5e6f';
const enc = (s: string) => new TextEncoder().encode(s);

const SOURCES: Record<string, IngestSourceConfig> = {
  grafana: { verify: { scheme: 'standard-webhooks', secretEnv: 'GRAFANA_SECRET', tolerance: 300 } },
  github: { verify: { scheme: 'github', secret: GH_SECRET, tolerance: 300 } },
  uptime: { verify: { scheme: 'bearer', secretFile: '/run/secrets/uptime', tolerance: 300 } },
};

describe('IngestService', () => {
  let dir: string;
  let queues: SqliteQueues;
  let queue: Queue<IngestedEvent>;
  let clock: ManualClock;
  let ingest: IngestService;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-ingest-'));
    clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    queues = await SqliteQueues.open({ file: join(dir, 'cairn.db'), writer: 'inline', clock });
    queue = queues.queue<IngestedEvent>('events');
    ingest = IngestService.create({
      sources: SOURCES,
      maxBodyBytes: 4096,
      queue,
      clock,
      secrets: {
        env: { GRAFANA_SECRET: WHSEC },
        readFile: (p) => {
          if (p === '/run/secrets/uptime') return `${TOKEN}\n`;
          throw Object.assign(new Error('nope'), { code: 'ENOENT' });
        },
      },
    });
  });
  afterEach(async () => {
    await queues.close();
    await rm(dir, { recursive: true, force: true });
  });

  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  const standard = (body: string, opts: { id?: string; ts?: number; sig?: string; key?: Buffer } = {}) => {
    const id = opts.id ?? 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
    const ts = opts.ts ?? nowSeconds();
    return {
      source: 'grafana',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature': opts.sig ?? signStandardWebhook(opts.key ?? KEY, id, ts, body),
      },
      rawBody: enc(body),
    };
  };
  const stored = async () => (await queue.receive(100)).map((m) => m.body);

  it('queues a signed Standard Webhooks delivery and returns its event id', async () => {
    const body = '{"title":"CPU high","severity":"critical"}';
    const r = await ingest.accept(standard(body));
    expect(r).toEqual({ eventId: expect.stringMatching(/^evt_[\w-]{22}$/), duplicate: false });
    expect(await stored()).toEqual([
      {
        eventId: r.eventId,
        source: 'grafana',
        receivedAt: '2026-03-01T12:00:00.000Z',
        deliveryId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
        rawBody: body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
          'webhook-timestamp': String(nowSeconds()),
        },
      },
    ]);
  });

  it('accepts one matching signature among several (key rotation) and ignores v1a entries', async () => {
    const body = '{"a":1}';
    const ts = nowSeconds();
    const good = signStandardWebhook(KEY, 'msg_1', ts, body);
    const old = signStandardWebhook(standardWebhooksKey('whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0'), 'msg_1', ts, body);
    const sig = `v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== ${old}  ${good}`;
    await expect(ingest.accept(standard(body, { id: 'msg_1', sig }))).resolves.toMatchObject({ duplicate: false });
  });

  it('refuses a Standard Webhooks delivery signed with another key, or whose body changed', async () => {
    const other = standardWebhooksKey('whsec_' + Buffer.from('another-secret-of-24-bytes!').toString('base64'));
    await expect(ingest.accept(standard('{"a":1}', { key: other }))).rejects.toMatchObject({
      code: 'CAIRN_SIGNATURE_INVALID',
      kind: 'unauthorized',
      message: expect.stringContaining('webhook-signature'),
    });
    const signed = standard('{"a":1}');
    await expect(ingest.accept({ ...signed, rawBody: enc('{"a":2}') })).rejects.toMatchObject({
      code: 'CAIRN_SIGNATURE_INVALID',
    });
    // The id and timestamp are signed too.
    await expect(
      ingest.accept({ ...signed, headers: { ...signed.headers, 'webhook-id': 'msg_other' } }),
    ).rejects.toMatchObject({ code: 'CAIRN_SIGNATURE_INVALID' });
    await expect(
      ingest.accept({ ...signed, headers: { ...signed.headers, 'webhook-timestamp': String(nowSeconds() - 1) } }),
    ).rejects.toMatchObject({ code: 'CAIRN_SIGNATURE_INVALID' });
    expect(await stored()).toEqual([]);
  });

  it.each([
    ['v1,', 'an empty signature'],
    ['v1,!!!!', 'garbage base64'],
    ['v2,' + 'A'.repeat(44), 'an unknown version'],
    ['K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=', 'no version prefix'],
    ['v1,' + Buffer.alloc(31).toString('base64'), 'a short digest'],
    ['v1,' + Buffer.alloc(32).toString('base64'), 'zeros'],
  ])('refuses the signature %j (%s)', async (sig) => {
    await expect(ingest.accept(standard('{}', { sig }))).rejects.toMatchObject({ code: 'CAIRN_SIGNATURE_INVALID' });
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'says which header is missing when %s is absent',
    async (name) => {
      const req = standard('{}');
      const headers: Record<string, string> = { ...req.headers };
      delete headers[name];
      await expect(ingest.accept({ ...req, headers })).rejects.toMatchObject({
        code: 'CAIRN_SIGNATURE_INVALID',
        message: expect.stringContaining(`${name} header is missing`),
      });
    },
  );

  it('refuses a replayed delivery whose timestamp is older than the tolerance, and one from the future', async () => {
    const old = standard('{"a":1}', { ts: nowSeconds() - 301 });
    await expect(ingest.accept(old)).rejects.toMatchObject({
      code: 'CAIRN_WEBHOOK_TIMESTAMP',
      kind: 'unauthorized',
      message: expect.stringContaining('301 s in the past'),
    });
    await expect(ingest.accept(standard('{"a":1}', { ts: nowSeconds() + 301 }))).rejects.toMatchObject({
      code: 'CAIRN_WEBHOOK_TIMESTAMP',
      message: expect.stringContaining('in the future'),
    });
    await expect(ingest.accept(standard('{"a":1}', { ts: nowSeconds() - 299 }))).resolves.toBeDefined();
    await expect(
      ingest.accept({ ...old, headers: { ...old.headers, 'webhook-timestamp': '1e9' } }),
    ).rejects.toMatchObject({ code: 'CAIRN_SIGNATURE_INVALID', message: expect.stringContaining('Unix seconds') });
  });

  it('verifies GitHub deliveries with X-Hub-Signature-256 and keeps the event name', async () => {
    const body = '{"action":"completed","workflow_run":{"conclusion":"failure"}}';
    const headers = {
      'Content-Type': 'application/json',
      'X-GitHub-Event': 'workflow_run',
      'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'X-Hub-Signature-256': signGithub(GH_SECRET, body),
    };
    const r = await ingest.accept({ source: 'github', headers, rawBody: enc(body) });
    const [event] = await stored();
    expect(event).toMatchObject({
      eventId: r.eventId,
      deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      headers: { 'x-github-event': 'workflow_run', 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' },
    });
    expect(Object.keys(event!.headers)).not.toContain('x-hub-signature-256');
  });

  it.each([
    [undefined, 'is missing'],
    ['sha1=' + 'a'.repeat(40), 'sha256= followed by 64 hex'],
    ['sha256=' + 'a'.repeat(63), 'sha256= followed by 64 hex'],
    ['sha256=' + 'a'.repeat(64), 'does not match'],
    [signGithub('wrong secret', '{}'), 'does not match'],
  ])('refuses a GitHub delivery with X-Hub-Signature-256 %j', async (sig, why) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (sig) headers['x-hub-signature-256'] = sig;
    await expect(ingest.accept({ source: 'github', headers, rawBody: enc('{}') })).rejects.toMatchObject({
      code: 'CAIRN_SIGNATURE_INVALID',
      message: expect.stringContaining(why),
    });
  });

  it('checks a bearer token from the secret file, and refuses a wrong, missing or malformed one', async () => {
    const req = (authorization?: string) => ({
      source: 'uptime',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      rawBody: enc('{"down":true}'),
    });
    await expect(ingest.accept(req(`Bearer ${TOKEN}`))).resolves.toBeDefined();
    await expect(ingest.accept(req(`bearer ${TOKEN}`))).resolves.toBeDefined();
    for (const [auth, why] of [
      [`Bearer ${TOKEN}x`, 'not the one configured'],
      [`Bearer ${TOKEN.slice(0, -1)}`, 'not the one configured'],
      ['Bearer ', 'must be "Bearer <token>"'],
      [`Basic ${TOKEN}`, 'must be "Bearer <token>"'],
      [undefined, 'Authorization header is missing'],
    ] as const) {
      await expect(ingest.accept(req(auth))).rejects.toMatchObject({
        code: 'CAIRN_SIGNATURE_INVALID',
        message: expect.stringContaining(why),
      });
    }
  });

  it('stores one event for a delivery accepted twice, under the same event id', async () => {
    const body = '{"title":"disk full"}';
    const first = await ingest.accept(standard(body, { id: 'msg_dup' }));
    clock.advance(10_000);
    const second = await ingest.accept(standard(body, { id: 'msg_dup' }));
    expect(second).toEqual({ eventId: first.eventId, duplicate: true });
    const bearer = { source: 'uptime', rawBody: enc('{}') };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'idempotency-key': 'k-1' };
    const [a, b] = await Promise.all([ingest.accept({ ...bearer, headers }), ingest.accept({ ...bearer, headers })]);
    expect(a.eventId).toBe(b.eventId);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect((await stored()).map((e) => e.deliveryId)).toEqual(['msg_dup', 'k-1']);
  });

  it('gives the same event id to a redelivery that comes after the first copy left the queue', async () => {
    const first = await ingest.accept(standard('{}', { id: 'msg_late' }));
    for (const m of await queue.receive(10)) await queue.ack(m);
    const again = await ingest.accept(standard('{}', { id: 'msg_late' }));
    expect(again).toEqual({ eventId: first.eventId, duplicate: false });
  });

  it('keeps unicode and control characters of the body byte for byte', async () => {
    const body =
      '{"title":"caf\u00e9 \u2615 \ud83d\udd25 \u0645\u0631\u062d\u0628\u0627","esc":"\\u0000\\u001f\\n\\"","raw":"\u007f\u0085\u2028\u2029","z":"\u200d"}';
    const bytes = enc(body);
    await ingest.accept(standard(body));
    const [event] = await stored();
    expect(event!.rawBody).toBe(body);
    expect(Buffer.from(enc(event!.rawBody)).equals(Buffer.from(bytes))).toBe(true);
    // A byte-order mark is kept too (and tolerated by the JSON check).
    const withBom = '\ufeff{"a":1}';
    await ingest.accept(standard(withBom, { id: 'msg_bom' }));
    expect((await stored())[0]!.rawBody).toBe(withBom);
  });

  it('refuses a body that is not valid UTF-8 as invalid JSON', async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]);
    const ts = nowSeconds();
    await expect(
      ingest.accept({
        source: 'grafana',
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'msg_x',
          'webhook-timestamp': String(ts),
          'webhook-signature': signStandardWebhook(KEY, 'msg_x', ts, bytes),
        },
        rawBody: bytes,
      }),
    ).rejects.toMatchObject({ code: 'CAIRN_INVALID_JSON', message: expect.stringContaining('UTF-8') });
  });

  it.each(['{"a":', '{a:1}', '', 'nul', '{"a":1}}', "{'a':1}"])(
    'refuses malformed JSON %j with the parse error',
    async (body) => {
      await expect(ingest.accept(standard(body))).rejects.toMatchObject({
        code: 'CAIRN_INVALID_JSON',
        kind: 'invalid',
        message: expect.stringMatching(/not valid JSON: .+/),
      });
    },
  );

  it.each([undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'json'])(
    'refuses the content type %j with 415',
    async (type) => {
      const req = standard('{}');
      const headers: Record<string, string> = { ...req.headers };
      if (type) headers['content-type'] = type;
      else delete headers['content-type'];
      await expect(ingest.accept({ ...req, headers })).rejects.toMatchObject({
        code: 'CAIRN_UNSUPPORTED_MEDIA_TYPE',
        kind: 'unsupported_media',
      });
    },
  );

  it.each(['application/json; charset=utf-8', 'application/cloudevents+json', 'Application/JSON;charset="UTF-8"'])(
    'accepts the JSON content type %j',
    async (type) => {
      const req = standard('{}');
      await expect(ingest.accept({ ...req, headers: { ...req.headers, 'content-type': type } })).resolves.toBeDefined();
    },
  );

  it('refuses a body over alerts.maxBodyBytes before checking anything else', async () => {
    const body = `{"pad":"${'x'.repeat(4096)}"}`;
    await expect(ingest.accept({ ...standard(body), headers: {} })).rejects.toMatchObject({
      code: 'CAIRN_BODY_TOO_LARGE',
      kind: 'too_large',
    });
  });

  it('answers 404 for a source that is not configured', async () => {
    await expect(ingest.accept({ ...standard('{}'), source: 'nagios' })).rejects.toMatchObject({
      code: 'CAIRN_UNKNOWN_SOURCE',
      kind: 'not_found',
    });
    expect(() => ingest.requireSource('x'.repeat(500))).toThrow(/^No webhook source named "x{64}…"/);
  });

  it('refuses a delivery id with spaces or control characters, or over 256 characters', async () => {
    for (const id of ['has space', 'tab\tid', 'x'.repeat(257), 'ünï']) {
      await expect(ingest.accept(standard('{}', { id }))).rejects.toMatchObject({ code: 'CAIRN_INVALID_DELIVERY_ID' });
    }
  });

  it('queues a delivery with no delivery id under a fresh event id each time', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
    const a = await ingest.accept({ source: 'uptime', headers, rawBody: enc('{}') });
    const b = await ingest.accept({ source: 'uptime', headers, rawBody: enc('{}') });
    expect(a.eventId).not.toBe(b.eventId);
    expect((await stored()).map((e) => e.deliveryId)).toEqual([null, null]);
  });
});

describe('source secrets', () => {
  const io = { env: { SET: ' s3cret\n', EMPTY: '' }, readFile: () => 'from-file\n' };
  it('reads a secret from the config, the environment or a file, trimming the newline', () => {
    expect(resolveSecret('p', { secret: 'inline' }, io)).toBe('inline');
    expect(resolveSecret('p', { secretEnv: 'SET' }, io)).toBe('s3cret');
    expect(resolveSecret('p', { secretFile: '/x' }, io)).toBe('from-file');
  });

  it('names the source and the key when a secret cannot be found', () => {
    const failing = {
      env: {},
      readFile: () => {
        throw Object.assign(new Error('no'), { code: 'EACCES' });
      },
    };
    const make = (verify: IngestSourceConfig['verify']) => () =>
      IngestService.create({
        sources: { grafana: { verify } },
        maxBodyBytes: 1,
        queue: {} as Queue<IngestedEvent>,
        clock: new ManualClock(),
        secrets: failing,
      });
    expect(make({ scheme: 'bearer', secretEnv: 'GRAFANA_TOKEN', tolerance: 300 })).toThrow(
      'alerts.sources.grafana.verify.secretEnv: the environment variable GRAFANA_TOKEN is not set',
    );
    expect(make({ scheme: 'github', secretFile: '/etc/cairn/gh', tolerance: 300 })).toThrow(
      'alerts.sources.grafana.verify.secretFile: cannot read the file /etc/cairn/gh (EACCES)',
    );
    expect(make({ scheme: 'standard-webhooks', secret: 'whsec_not base64!', tolerance: 300 })).toThrow(
      expect.objectContaining({
        code: 'CAIRN_INVALID_WEBHOOK_SECRET',
        message: 'alerts.sources.grafana.verify: a Standard Webhooks secret is "whsec_" followed by base64',
      }),
    );
    expect(make({ scheme: 'bearer', secretEnv: 'GRAFANA_TOKEN', tolerance: 300 })).toThrow(
      expect.objectContaining({ code: 'CAIRN_CONFIG_INVALID' }),
    );
    expect(() => resolveSecret('p', { secretEnv: 'EMPTY' }, io)).toThrow('p.secretEnv: the secret is empty');
  });
});
