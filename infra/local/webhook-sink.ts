/**
 * The twin's stand-in for WeCom and DingTalk group robots: an HTTP server on 127.0.0.1 that keeps
 * every message POSTed to it and answers as the robots do (`{"errcode":0,"errmsg":"ok"}`). A path
 * under `/status/<code>/` answers that HTTP status instead, so a test (or a demo) can have a robot
 * that fails.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RobotMessage {
  readonly path: string;
  /** The query string (DingTalk's timestamp and sign). */
  readonly query: Record<string, string>;
  readonly body: unknown;
  readonly receivedAt: string;
  /** What the sink answered. */
  readonly status: number;
}

export class WebhookSink {
  readonly messages: RobotMessage[] = [];
  private server?: Server;

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const forced = /^\/status\/(\d{3})\//.exec(url.pathname);
        const status = req.method !== 'POST' ? 405 : forced ? Number(forced[1]) : 200;
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = Buffer.concat(chunks).toString('utf8');
        }
        this.messages.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), body, receivedAt: new Date().toISOString(), status });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status === 200 ? { errcode: 0, errmsg: 'ok' } : { errcode: status, errmsg: 'twin sink told to fail' }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, '127.0.0.1', () => resolve());
    });
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the webhook sink is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
