/**
 * The twin's mail server: a real SMTP server on 127.0.0.1 (smtp-server) that keeps every message
 * it accepts, parsed (mailparser), and a page on its own port that shows them, newest first,
 * beside what the group robots' sink received. So a user of the demo reads the reminders and
 * notices the replay produced as they would arrive; `/messages.json` serves the same to tests.
 * Kept in memory: a restart starts an empty mailbox (the notices table still says what was sent).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { WebhookSink } from './webhook-sink.ts';

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly receivedAt: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export class TwinMailServer {
  readonly mails: ReceivedMail[] = [];
  private smtp?: SMTPServer;
  private page?: Server;
  private smtpPort = 0;

  constructor(private readonly robots?: WebhookSink) {}

  async start(ports: { smtp?: number; page?: number } = {}): Promise<void> {
    this.smtp = new SMTPServer({
      // Local only, no TLS to set up, no accounts: it accepts what the twin's functions send.
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            const to = session.envelope.rcptTo.map((r) => r.address);
            this.mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              receivedAt: new Date().toISOString(),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.smtp?.server.once('error', reject);
      this.smtp?.listen(ports.smtp ?? 0, '127.0.0.1', () => resolve());
    });
    this.smtpPort = (this.smtp.server.address() as AddressInfo).port;
    this.page = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (path === '/messages.json') {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ mails: this.mails, robots: this.robots?.messages ?? [] }));
        return;
      }
      if (path !== '/') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(this.html());
    });
    await new Promise<void>((resolve, reject) => {
      this.page?.once('error', reject);
      this.page?.listen(ports.page ?? 0, '127.0.0.1', () => resolve());
    });
  }

  get smtpHost(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.smtpPort };
  }

  get pageUrl(): string {
    const address = this.page?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the mail page is not started');
    return `http://127.0.0.1:${address.port}/`;
  }

  private html(): string {
    const mails = [...this.mails]
      .reverse()
      .map(
        (m) =>
          `<article><h2>${escapeHtml(m.subject)}</h2><p class="meta">${escapeHtml(m.receivedAt)} · 收件人 to: ${escapeHtml(m.to.join(', '))} · 发件人 from: ${escapeHtml(m.from)}</p><pre>${escapeHtml(m.text)}</pre></article>`,
      );
    const robots = [...(this.robots?.messages ?? [])].reverse().map((r) => {
      const content = (r.body as { text?: { content?: string } } | undefined)?.text?.content ?? JSON.stringify(r.body);
      return `<article><p class="meta">${escapeHtml(r.receivedAt)} · ${escapeHtml(r.path)} · HTTP ${r.status}</p><pre>${escapeHtml(content)}</pre></article>`;
    });
    return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>孪生环境邮件 · Twin mail</title>
<style>body{font:15px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}article{border-top:1px solid #ccc;padding:.5rem 0}h2{font-size:1.05rem;margin:.2rem 0}.meta{color:#555;font-size:.85rem;margin:0}pre{white-space:pre-wrap;font:inherit}</style></head>
<body><h1>孪生环境收到的邮件 · Mail the twin received (${this.mails.length})</h1>
<p>SMTP 127.0.0.1:${this.smtpPort} · <a href="/messages.json">messages.json</a> · 群机器人消息 robot messages below</p>
${mails.join('\n') || '<p>（暂无 / none yet）</p>'}
<h1>群机器人收到的消息 · Robot messages (${this.robots?.messages.length ?? 0})</h1>
${robots.join('\n') || '<p>（暂无 / none yet）</p>'}
</body></html>`;
  }

  async stop(): Promise<void> {
    const page = this.page;
    this.page = undefined;
    if (page) await new Promise<void>((resolve) => page.close(() => resolve()));
    const smtp = this.smtp;
    this.smtp = undefined;
    if (smtp) await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
}
