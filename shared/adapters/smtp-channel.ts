/**
 * E-mail through nodemailer: a province's own SMTP server, or Amazon SES (nodemailer's SES
 * transport over the SESv2 client) where the region offers it. The transport is built per
 * deployment from its config; the SMTP password comes from the notice secret.
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import nodemailer, { type Transporter } from 'nodemailer';
import type { NoticeChannel } from '#app/ports.ts';
import type { NoticeTarget } from '#domain/contacts.ts';
import type { Message } from '#domain/notices.ts';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user?: string;
  /** Refuse to send unencrypted (the cloud's default; the twin's server speaks plain SMTP). */
  readonly requireTls: boolean;
}

export function smtpTransport(settings: SmtpSettings, password: string | undefined): Transporter {
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTls,
    ...(settings.user ? { auth: { user: settings.user, pass: password ?? '' } } : {}),
    // A stuck server fails the try (and the next try runs) rather than the whole run.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    // A run sends hundreds at month end: a few kept connections, not one handshake per message.
    pool: true,
    maxConnections: 4,
  });
}

export async function sesTransport(client: SESv2Client): Promise<Transporter> {
  const { SendEmailCommand } = await import('@aws-sdk/client-sesv2');
  return nodemailer.createTransport({ SES: { sesClient: client, SendEmailCommand } });
}

export class MailChannel implements Pick<NoticeChannel, 'deliver'> {
  constructor(
    /** Built on first use (the SMTP password is read from the secret then). */
    private readonly transport: () => Promise<Transporter>,
    private readonly from: string,
  ) {}

  async deliver(target: NoticeTarget, message: Message): Promise<void> {
    if (target.channel !== 'email') throw new Error(`the mail channel does not send to ${target.channel}`);
    const transporter = await this.transport();
    await transporter.sendMail({ from: this.from, to: [...target.to], subject: message.subject, text: message.text });
  }
}
