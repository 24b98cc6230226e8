/** Each channel's request as the vendor documents it, captured by a real HTTP server. */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEmail } from '../../src/core/alerts/notify/index.ts';
import { drain, makeEvent, Sink } from './notify-helpers.ts';
import { senderWorld } from './notify-setup.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('channel formats', () => {
  let sink: Sink;
  let world: ReturnType<typeof senderWorld>;

  beforeAll(async () => {
    sink = await Sink.start();
    world = senderWorld({
      slack: { type: 'slack', url: `${sink.url}/slack` },
      mm: { type: 'mattermost', url: `${sink.url}/mattermost`, channel: 'ops' },
      teams: { type: 'teams', url: `${sink.url}/teams` },
      pd: { type: 'pagerduty', url: `${sink.url}/pagerduty`, routingKey: 'R0UT1NGKEY' },
      hook: { type: 'webhook', url: `${sink.url}/hook`, secret: SECRET },
    });
  });
  afterAll(async () => {
    await sink.stop();
    world.cleanup();
  });

  const deliver = async (channel: string, events = [makeEvent()], over = {}) => {
    const before = sink.requests.length;
    await world.notify(channel, events, over);
    expect(await drain(world.queueFor(channel), (m) => world.sender.handle(m))).toEqual(['ack']);
    return sink.requests.slice(before);
  };

  it('posts Slack Block Kit: a header, a severity-coloured attachment, fields and a runbook button', async () => {
    const [req] = await deliver('slack');
    expect(req!.url).toBe('/slack');
    expect(req!.headers['content-type']).toBe('application/json');
    const body = req!.json;
    expect(body.text).toBe('CRITICAL: Disk almost full on db-1');
    expect(body.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: ':red_circle: Disk almost full on db-1', emoji: true } },
    ]);
    const [att] = body.attachments;
    expect(att.color).toBe('#D00000');
    expect(att.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*CRITICAL*\n/var/lib/postgres is 93% full' },
    });
    expect(att.blocks[1].fields.map((f: any) => f.text)).toEqual([
      '*Severity*\ncritical',
      '*Service*\nbilling-db',
      '*Source*\ngrafana',
      '*Team*\nstorage',
      '*Environment*\nprod',
    ]);
    const actions = att.blocks.find((b: any) => b.type === 'actions');
    expect(actions.elements[0]).toEqual({
      type: 'button',
      text: { type: 'plain_text', text: 'Runbook', emoji: true },
      url: 'https://runbooks.example.com/disk-full',
      action_id: 'runbook',
    });
  });

  it('escapes Slack control characters so an alert cannot mention @channel or inject a link', async () => {
    const e = makeEvent({ title: 'Boom <!channel>', summary: 'see <https://evil.example|here> & run' });
    const [req] = await deliver('slack', [e]);
    expect(req!.json.text).toBe('CRITICAL: Boom &lt;!channel&gt;');
    expect(req!.json.attachments[0].blocks[0].text.text).toBe(
      '*CRITICAL*\nsee &lt;https://evil.example|here&gt; &amp; run',
    );
  });

  it('keeps Slack and PagerDuty texts within their limits', async () => {
    const long = makeEvent({ title: 'x'.repeat(5000), summary: '&'.repeat(10_000) });
    const [slack] = await deliver('slack', [long]);
    expect(slack!.json.blocks[0].text.text.length).toBeLessThanOrEqual(150);
    expect(slack!.json.attachments[0].blocks[0].text.text.length).toBeLessThanOrEqual(3000);
    expect(slack!.json.attachments[0].blocks[0].text.text).not.toMatch(/&(a|am|amp)?$/);
    const [pd] = await deliver('pd', [makeEvent({ title: 'y'.repeat(5000) })]);
    expect(pd!.json.payload.summary.length).toBeLessThanOrEqual(1024);
  });

  it('says how many events a grouped notification stands for', async () => {
    const events = [makeEvent(), makeEvent(), makeEvent()];
    const [req] = await deliver('slack', events, { count: 500 });
    expect(req!.json.blocks[0].text.text).toBe(':red_circle: Disk almost full on db-1 (×500)');
    expect(req!.json.attachments[0].blocks.find((b: any) => b.type === 'context').elements[0].text).toBe(
      '500 events grouped',
    );
  });

  it('posts Mattermost text and a Slack-compatible attachment, with mentions broken', async () => {
    const [req] = await deliver('mm', [makeEvent({ title: 'ping @channel', labels: { team: 'core' } })]);
    expect(req!.json).toMatchObject({ channel: 'ops', username: 'Cairn' });
    expect(req!.json.text).toBe('#### 🔴 ping @\u200bchannel');
    expect(req!.json.attachments[0]).toMatchObject({
      fallback: 'CRITICAL: ping @channel',
      color: '#D00000',
      title: 'ping @\u200bchannel',
      title_link: expect.stringMatching(/^https:\/\/cairn\.example\.com\/events\/evt_/),
    });
    expect(req!.json.attachments[0].fields).toContainEqual({ short: true, title: 'Team', value: 'core' });
  });

  it('posts a Teams Workflows message whose first attachment is an Adaptive Card', async () => {
    const [req] = await deliver('teams');
    expect(req!.json.type).toBe('message');
    const [att] = req!.json.attachments;
    expect(att.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(att.content).toMatchObject({
      type: 'AdaptiveCard',
      version: '1.4',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    });
    expect(att.content.body[0]).toMatchObject({
      type: 'TextBlock',
      text: '🔴 Disk almost full on db-1',
      color: 'Attention',
      wrap: true,
    });
    expect(att.content.body.find((b: any) => b.type === 'FactSet').facts).toContainEqual({
      title: 'Service',
      value: 'billing-db',
    });
    expect(att.content.actions[0]).toEqual({
      type: 'Action.OpenUrl',
      title: 'Runbook',
      url: 'https://runbooks.example.com/disk-full',
    });
    expect(req!.body.length).toBeLessThan(28_000);
  });

  it('triggers then resolves a PagerDuty alert under the same dedup_key', async () => {
    const firing = makeEvent({ fingerprint: 'disk:db-1' });
    const resolved = makeEvent({ fingerprint: 'disk:db-1', status: 'resolved', severity: 'critical' });
    const [trigger] = await deliver('pd', [firing]);
    const [resolve] = await deliver('pd', [resolved]);
    expect(trigger!.json).toEqual({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: 'disk:db-1',
      payload: {
        summary: 'Disk almost full on db-1',
        source: 'billing-db',
        severity: 'critical',
        timestamp: firing.receivedAt,
        component: 'billing-db',
        group: 'storage',
        class: 'grafana',
        custom_details: {
          summary: '/var/lib/postgres is 93% full',
          count: 1,
          source: 'grafana',
          event_id: firing.eventId,
          labels: firing.labels,
        },
      },
      client: 'Cairn',
      client_url: `https://cairn.example.com/events/${firing.eventId}`,
      links: [
        { href: 'https://runbooks.example.com/disk-full', text: 'Runbook' },
        { href: `https://cairn.example.com/events/${firing.eventId}`, text: 'Open in Cairn' },
      ],
    });
    expect(resolve!.json).toEqual({ routing_key: 'R0UT1NGKEY', event_action: 'resolve', dedup_key: 'disk:db-1' });
  });

  it('maps every Cairn severity to the PagerDuty severity of the same name', async () => {
    for (const severity of ['critical', 'error', 'warning', 'info'] as const) {
      const [req] = await deliver('pd', [makeEvent({ severity })]);
      expect(req!.json.payload.severity).toBe(severity);
    }
  });

  it('signs a generic webhook with Standard Webhooks headers a receiver can verify', async () => {
    const e = makeEvent();
    const [req] = await deliver('hook', [e]);
    const id = req!.headers['webhook-id'] as string;
    const ts = req!.headers['webhook-timestamp'] as string;
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${ts}.${req!.body}`).digest('base64');
    expect(req!.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(id).toMatch(/^grp_test#/);
    expect(Number(ts)).toBe(Math.floor(world.clock.now().getTime() / 1000));
    expect(req!.json).toMatchObject({
      type: 'notification.firing',
      status: 'firing',
      count: 1,
      event: { eventId: e.eventId },
    });
    expect(req!.json.event).not.toHaveProperty('rawBody');
  });

  it('writes an e-mail with a one-line subject and HTML-escaped text', () => {
    const e = makeEvent({ title: 'Bad\r\nBcc: victim@example.com <b>', summary: '<script>alert(1)</script>' });
    const mail = formatEmail(
      { id: 'grp#1', channel: 'mail', groupKey: '', status: 'firing', count: 2, repeat: false, events: [e], latest: e },
      { from: 'cairn@example.com', to: ['ops@example.com'] },
    );
    expect(mail.subject).toBe('[Cairn] CRITICAL: Bad Bcc: victim@example.com <b> (×2)');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('<script>alert(1)</script>');
    expect(mail.messageId).toMatch(/^<cairn\.[0-9a-f]{28}@cairn\.local>$/);
  });
});
