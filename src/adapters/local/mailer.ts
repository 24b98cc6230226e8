/**
 * Mailer over SMTP with nodemailer: one transport per e-mail channel. Timeouts are short (nodemailer
 * waits two minutes to connect by default) so a dead SMTP server is retried instead of blocking the
 * channel worker. Failures become CAIRN_MAIL_FAILED, naming the host and the SMTP reply code only.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { ResolvedChannel } from '../../core/alerts/notify/channels.ts';
import { CairnError } from '../../core/errors.ts';
import { MAIL_FAILED, type MailMessage, type Mailer } from '../../ports/alerts.ts';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
}

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    private readonly smtp: SmtpSettings,
    options: { timeoutMs?: number } = {},
  ) {
    const timeout = options.timeoutMs ?? 10_000;
    this.transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(message: MailMessage): Promise<void> {
    try {
      await this.transport.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...(message.messageId ? { messageId: message.messageId } : {}),
      });
    } catch (err) {
      const e = err as { code?: string; responseCode?: number };
      const reply = [e.code, e.responseCode].filter((x) => x !== undefined).join(' ');
      throw new CairnError(
        MAIL_FAILED,
        'unavailable',
        `SMTP ${this.smtp.host}:${this.smtp.port} refused the message${reply ? ` (${reply})` : ''}`,
        {
          cause: err,
          details: { code: e.code, responseCode: e.responseCode },
        },
      );
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** One SmtpMailer per e-mail channel, made on first use: the ChannelSender's `mailerFor`. */
export function smtpMailers(channels: Record<string, ResolvedChannel>, options: { timeoutMs?: number } = {}) {
  const made = new Map<string, SmtpMailer>();
  const mailerFor = (name: string): Mailer => {
    const channel = channels[name];
    if (channel?.type !== 'email') throw new Error(`channel ${name} is not an e-mail channel`);
    let mailer = made.get(name);
    if (!mailer) made.set(name, (mailer = new SmtpMailer(channel.smtp, options)));
    return mailer;
  };
  return { mailerFor, close: () => made.forEach((m) => m.close()) };
}
