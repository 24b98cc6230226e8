/**
 * The SES mailer: nodemailer's SES transport over an SESv2Client mocked with aws-sdk-client-mock —
 * mocked because there is no SES emulator to run here. The raw MIME that SES would receive is read
 * back and compared with the hub's own rendering of a notification (core formatEmail).
 */
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { identityCovers, SesMailer, sesMailers } from '../../src/adapters/aws/ses-mailer.ts';
import type { EnrichedEvent } from '../../src/core/alerts/model.ts';
import { formatEmail, type Notification, type ResolvedChannel } from '../../src/core/alerts/notify/index.ts';
import { parseMail } from './helpers/mime.ts';

const client = new SESv2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ses = mockClient(client);
beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: '0102-abc' });
});

const event: EnrichedEvent = {
  eventId: 'evt_1',
  source: 'grafana',
  receivedAt: '2026-01-01T00:00:00.000Z',
  enrichedAt: '2026-01-01T00:00:01.000Z',
  title: 'Disk full on db-1',
  summary: '/var at 99% — <script>alert(1)</script> & more',
  severity: 'critical',
  status: 'firing',
  service: 'billing',
  fingerprint: 'fp1',
  labels: { team: 'payments', runbook: 'https://runbooks.example.com/disk' },
  enrichment: {},
  payload: {},
};
const notification: Notification = {
  id: 'grp_1#1',
  channel: 'ops-mail',
  groupKey: 'fp1',
  status: 'firing',
  count: 1,
  repeat: false,
  events: [event],
  latest: event,
};

const rawOf = (call: number) => {
  const input = ses.commandCalls(SendEmailCommand)[call]!.args[0].input;
  return { input, mail: parseMail(Buffer.from(input.Content!.Raw!.Data!).toString('utf8')) };
};

const emailChannel = (from: string): ResolvedChannel => ({
  type: 'email',
  from,
  to: ['oncall@example.com'],
  smtp: { host: 'unused-on-aws', port: 587, secure: false },
});
const ARN = 'arn:aws:ses:us-east-1:123456789012:identity/example.com';

describe('SesMailer', () => {
  it('sends the rendered notification as raw MIME through SESv2 SendEmail', async () => {
    const message = formatEmail(
      notification,
      { from: 'Cairn <alerts@example.com>', to: ['oncall@example.com', 'dba@example.com'] },
      { eventUrl: (id) => `https://cairn.example.com/alerts/events/${id}` },
    );
    await new SesMailer(client).send(message);

    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    const { input, mail } = rawOf(0);
    expect(input.Destination?.ToAddresses).toEqual(['oncall@example.com', 'dba@example.com']);
    expect(input.FromEmailAddress).toContain('alerts@example.com');
    expect(mail.headers.subject).toBe(message.subject);
    expect(mail.headers['message-id']).toBe(message.messageId);
    expect(mail.headers.from).toBe('Cairn <alerts@example.com>');
    expect(mail.text.replace(/\r\n/g, '\n')).toBe(message.text);
    expect(mail.html.replace(/\r\n/g, '\n')).toBe(message.html);
    // What the formatter escaped stays escaped: the HTML part carries no live markup from the event.
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('Open in Cairn: https://cairn.example.com/alerts/events/evt_1');
  });

  it("reports SES refusing a message as CAIRN_MAIL_FAILED with SES's error name", async () => {
    ses.on(SendEmailCommand).rejects(
      Object.assign(new Error('Email address is not verified.'), {
        name: 'MessageRejected',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const send = new SesMailer(client).send({ from: 'a@example.com', to: ['b@example.com'], subject: 's', text: 't' });
    await expect(send).rejects.toMatchObject({
      code: 'CAIRN_MAIL_FAILED',
      message: 'SES refused the message (MessageRejected)',
    });
  });

  it('keeps throttling and a missing permission as the AWS errors they are', async () => {
    const sdkError = (name: string, status: number) =>
      Object.assign(new Error(name), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
    const mail = { from: 'a@example.com', to: ['b@example.com'], subject: 's', text: 't' };
    ses.on(SendEmailCommand).rejects(sdkError('TooManyRequestsException', 429));
    await expect(new SesMailer(client).send(mail)).rejects.toMatchObject({ code: 'CAIRN_AWS_THROTTLED' });
    ses.on(SendEmailCommand).rejects(sdkError('AccessDeniedException', 403));
    await expect(new SesMailer(client).send(mail)).rejects.toMatchObject({ code: 'CAIRN_AWS_ACCESS_DENIED' });
  });
});

describe('sesMailers (the channel sender on AWS)', () => {
  it('needs no SES identity when no channel sends e-mail', () => {
    const slack: ResolvedChannel = { type: 'slack', url: 'https://hooks.slack.example/x' };
    expect(sesMailers({ team: slack }, { identityArn: undefined, client: () => client })).toBeUndefined();
  });

  it('refuses e-mail channels when no SES identity is configured, before anything is sent', () => {
    expect(() =>
      sesMailers({ 'ops-mail': emailChannel('alerts@example.com') }, { identityArn: undefined, client: () => client }),
    ).toThrow(/alerts\.channels\.ops-mail: e-mail on AWS is sent with SES, and no SES identity is configured/);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('refuses a From the identity does not cover, naming the channel', () => {
    expect(() =>
      sesMailers(
        { a: emailChannel('alerts@example.com'), b: emailChannel('Ops <ops@other.org>') },
        { identityArn: ARN, client: () => client },
      ),
    ).toThrow(/alerts\.channels\.b\.from "Ops <ops@other\.org>" is not sent as the SES identity example\.com/);
    expect(() =>
      sesMailers({ a: emailChannel('a@example.com') }, { identityArn: 'arn:aws:sns:x', client: () => client }),
    ).toThrow(/SES_IDENTITY_ARN: an SES identity ARN/);
  });

  it("makes one mailer in the identity's region for every e-mail channel", async () => {
    const regions: string[] = [];
    const mailers = sesMailers(
      { a: emailChannel('Cairn <alerts@mail.example.com>'), b: emailChannel('ops@example.com') },
      { identityArn: ARN, client: (region) => (regions.push(region), client) },
    )!;
    expect(regions).toEqual(['us-east-1']);
    expect(mailers.mailerFor('a')).toBe(mailers.mailerFor('b'));
    expect(() => mailers.mailerFor('nope')).toThrow(/not an e-mail channel/);
  });

  it('matches addresses to identities as SES does: the address itself, or its domain and subdomains', () => {
    expect(identityCovers('example.com', 'Alerts@Example.com')).toBe(true);
    expect(identityCovers('example.com', 'a@mail.example.com')).toBe(true);
    expect(identityCovers('example.com', 'a@badexample.com')).toBe(false);
    expect(identityCovers('alerts@example.com', 'ALERTS@example.com')).toBe(true);
    expect(identityCovers('alerts@example.com', 'other@example.com')).toBe(false);
  });
});
