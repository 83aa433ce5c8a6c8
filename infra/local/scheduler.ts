/**
 * The twin's EventBridge Scheduler: runs nightly-summary on the stack's cron (02:00 Asia/Shanghai)
 * with croner, and on demand (`evidence nightly`, tests). Runs never overlap, as one schedule
 * target with retries would not be invoked twice at once for the same time.
 */

import type { Context } from 'aws-lambda';
import { Cron } from 'croner';

/** The same schedule as NIGHTLY_CRON in infra/stack/daily-schedule.ts, written as cron fields. */
export const NIGHTLY_CRON_EXPRESSION = '0 2 * * *';
export const NIGHTLY_TIME_ZONE = 'Asia/Shanghai';

/** reminders (functions/reminders) every morning at 09:00 Beijing time, as REMINDERS_CRON in infra/stack/notices.ts. */
export const REMINDERS_CRON_EXPRESSION = '0 9 * * *';

export interface NightlyRequest {
  readonly at?: string;
  readonly periods?: number;
}

type NightlyHandler = (event: NightlyRequest, context: Context) => Promise<unknown>;

function context(): Context {
  const id = crypto.randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'nightly-summary',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:nightly-summary',
    memoryLimitInMB: '1024',
    awsRequestId: id,
    logGroupName: '/aws/lambda/nightly-summary',
    logStreamName: `twin/${id}`,
    getRemainingTimeInMillis: () => 300_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export class TwinScheduler {
  private job?: Cron;
  private running: Promise<unknown> = Promise.resolve();
  private handler?: Promise<NightlyHandler>;
  private reminders?: Cron;
  private remindersRunning: Promise<unknown> = Promise.resolve();
  private remindersHandler?: Promise<NightlyHandler>;

  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  start(): void {
    this.job = new Cron(NIGHTLY_CRON_EXPRESSION, { timezone: NIGHTLY_TIME_ZONE, protect: true }, async () => {
      await this.runNightly({}).catch(this.onError);
    });
    this.reminders = new Cron(REMINDERS_CRON_EXPRESSION, { timezone: NIGHTLY_TIME_ZONE, protect: true }, async () => {
      await this.runReminders({}).catch(this.onError);
    });
  }

  /** Invokes reminders now (as of `at` when given), after any reminders run in progress. */
  runReminders(request: { at?: string } = {}): Promise<unknown> {
    const run = this.remindersRunning
      .catch(() => undefined)
      .then(async () => {
        this.remindersHandler ??= import('#functions/reminders/handler.ts').then((m) => m.handler as unknown as NightlyHandler);
        return (await this.remindersHandler)(request, context());
      });
    this.remindersRunning = run;
    return run;
  }

  nextRun(): Date | null {
    return this.job?.nextRun() ?? null;
  }

  /** Invokes nightly-summary now, after any run in progress; resolves with its result. */
  runNightly(request: NightlyRequest = {}): Promise<unknown> {
    const run = this.running
      .catch(() => undefined)
      .then(async () => {
        // Imported on first use: the function reads its configuration at cold start.
        this.handler ??= import('#functions/nightly-summary/handler.ts').then((m) => m.handler as unknown as NightlyHandler);
        return (await this.handler)(request, context());
      });
    this.running = run;
    return run;
  }

  stop(): void {
    this.job?.stop();
    this.job = undefined;
    this.reminders?.stop();
    this.reminders = undefined;
  }
}
