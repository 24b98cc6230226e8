/**
 * Mailer over Amazon SES (API v2) for the Lambda runtime: nodemailer composes the MIME message, as the
 * local SMTP mailer does, and its SES transport sends it raw with SendEmail under the function's IAM
 * role — no SMTP password to keep. Only nodemailer's composer and SES transport are imported, so no SMTP
 * transport enters the Lambda bundle. The deployment grants sending for one SES identity (SES_IDENTITY_ARN);
 * every e-mail channel's From must be covered by it, checked when the mailers are made, so a wrong or
 * missing identity stops the channel sender at start instead of failing each send.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import addressparser from 'nodemailer/lib/addressparser';
import Mail from 'nodemailer/lib/mailer';
import SESTransport from 'nodemailer/lib/ses-transport';
import { ConfigError } from '../../config/errors.ts';
import type { ResolvedChannel } from '../../core/alerts/notify/channels.ts';
import { CairnError } from '../../core/errors.ts';
import { MAIL_FAILED, type MailMessage, type Mailer } from '../../ports/alerts.ts';
import { AWS_ACCESS_DENIED, AWS_THROTTLED, translateAwsError } from './errors.ts';

/** The local SMTP mailer's code (docs/errors.md): the same failure, whichever way mail leaves. */

const IDENTITY_ARN = /^arn:aws[\w-]*:ses:([a-z0-9-]+):\d{12}:identity\/(.+)$/;

/** An SES identity ARN's region and identity (a domain, or one address). */
function sesIdentityOf(arn: string): { region: string; identity: string } {
  const m = IDENTITY_ARN.exec(arn);
  if (!m)
    throw new ConfigError(
      `SES_IDENTITY_ARN: an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<domain or address>), not "${arn}"`,
    );
  return { region: m[1]!, identity: m[2]!.toLowerCase() };
}

/** Whether SES sends `address` as `identity`: the address itself, or an address at the domain or a subdomain. */
export function identityCovers(identity: string, address: string): boolean {
  const a = address.toLowerCase();
  if (identity.includes('@')) return a === identity;
  const domain = a.slice(a.lastIndexOf('@') + 1);
  return a.includes('@') && (domain === identity || domain.endsWith(`.${identity}`));
}

/** The one mailbox of a From header (`Cairn <alerts@example.com>` or a bare address). */
function fromAddress(from: string): string | undefined {
  const parsed = addressparser(from, { flatten: true });
  return parsed.length === 1 ? parsed[0]!.address : undefined;
}

export class SesMailer implements Mailer {
  private readonly mail: Mail;

  constructor(client: SESv2Client) {
    // File and URL access off: a message is the hub's rendered text, never a path or link to fetch.
    this.mail = new Mail(new SESTransport({ SES: { sesClient: client, SendEmailCommand } }), {
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async send(message: MailMessage): Promise<void> {
    try {
      await this.mail.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...(message.messageId ? { messageId: message.messageId } : {}),
      });
    } catch (err) {
      const translated = translateAwsError(err, 'SES SendEmail');
      // Throttling and a missing permission keep their AWS codes; anything else is SES refusing this mail.
      if (translated.code === AWS_THROTTLED || translated.code === AWS_ACCESS_DENIED) throw translated;
      const name = err instanceof Error ? err.name : 'Error';
      throw new CairnError(MAIL_FAILED, 'unavailable', `SES refused the message (${name})`, {
        cause: err,
        details: { name },
      });
    }
  }
}

/**
 * The ChannelSender's `mailerFor` on AWS: one SES mailer for every e-mail channel. Throws ConfigError now
 * when there are e-mail channels but no SES identity, or a channel's From is not the identity's.
 */
export function sesMailers(
  channels: Record<string, ResolvedChannel>,
  ses: { identityArn: string | undefined; client: (region: string) => SESv2Client },
): { mailerFor: (channel: string) => Mailer } | undefined {
  const email = Object.entries(channels).filter(([, c]) => c.type === 'email');
  if (email.length === 0) return undefined;
  const names = email.map(([n]) => `alerts.channels.${n}`).join(', ');
  if (!ses.identityArn)
    throw new ConfigError(
      `${names}: e-mail on AWS is sent with SES, and no SES identity is configured — deploy with the SES identity the mail is sent from (cdk context sesIdentity=<domain or address>), which sets SES_IDENTITY_ARN`,
    );
  const { region, identity } = sesIdentityOf(ses.identityArn);
  const problems = email.flatMap(([name, c]) => {
    const from = c.type === 'email' ? c.from : '';
    const address = fromAddress(from);
    return address && identityCovers(identity, address)
      ? []
      : [`alerts.channels.${name}.from "${from}" is not sent as the SES identity ${identity}`];
  });
  if (problems.length > 0) throw new ConfigError(`${problems.join('; ')}: use an address of that identity`);
  const mailer = new SesMailer(ses.client(region));
  return {
    mailerFor: (name) => {
      if (channels[name]?.type !== 'email') throw new Error(`channel ${name} is not an e-mail channel`);
      return mailer;
    },
  };
}
