/** A real SMTP server (smtp-server on port 0) receives what SmtpMailer sends. */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('SmtpMailer', () => {
  const received: { from: string; to: string[]; data: string }[] = [];
  let server: import('smtp-server').SMTPServer;
  let port: number;

  beforeAll(async () => {
    const { SMTPServer } = await import('smtp-server');
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, callback) {
        callback(
          address.address.startsWith('reject')
            ? Object.assign(new Error('no such user'), { responseCode: 550 })
            : undefined,
        );
      },
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data,
          });
          callback();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
  });

  it('sends text and HTML with the Message-ID it was given', async () => {
    const { SmtpMailer } = await import('./mailer.ts');
    const mailer = new SmtpMailer({ host: '127.0.0.1', port, secure: false });
    await mailer.send({
      from: 'cairn@example.com',
      to: ['ops@example.com'],
      subject: '[Cairn] CRITICAL: Disk full',
      text: 'plain body',
      html: '<p>html body</p>',
      messageId: '<cairn.abc@cairn.local>',
    });
    mailer.close();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ from: 'cairn@example.com', to: ['ops@example.com'] });
    expect(received[0]!.data).toMatch(/^Message-ID: <cairn\.abc@cairn\.local>\r?$/im);
    expect(received[0]!.data).toContain('Subject: [Cairn] CRITICAL: Disk full');
    expect(received[0]!.data).toContain('plain body');
    expect(received[0]!.data).toContain('<p>html body</p>');
  });

  it('reports a refused recipient as CAIRN_MAIL_FAILED with the SMTP reply code', async () => {
    const { SmtpMailer } = await import('./mailer.ts');
    const mailer = new SmtpMailer({ host: '127.0.0.1', port, secure: false });
    await expect(
      mailer.send({ from: 'cairn@example.com', to: ['reject@example.com'], subject: 's', text: 't' }),
    ).rejects.toMatchObject({ code: 'CAIRN_MAIL_FAILED', details: { responseCode: 550 } });
    mailer.close();
  });
});
