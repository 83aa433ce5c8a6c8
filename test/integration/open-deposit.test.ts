/**
 * Opening a deposit on the twin, as an enterprise does it from a browser: sign in on the twin's
 * sign-in page, POST the declared files, PUT each file to its presigned link with exactly the
 * headers the answer names (evidence first, the report last), and see the attempt recorded with
 * the declared SHA-256s in the history. The links are write-once: a second PUT is refused (412).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Enterprise } from '#domain/registry.ts';
import { EXAMPLE_ENTERPRISE_ID, JIUJIANG_ENTERPRISE_ID } from '#twin/accounts.ts';
import { bearer, signIn } from '../support/sign-in.ts';
import { eventually, useTwin } from '../support/twin.ts';

const twin = useTwin();
// The example report's own month (examples/valid/report.csv).
const PERIOD = '2026-03';
const EXAMPLES = new URL('../../examples/', import.meta.url);
const EVIDENCE = [
  'unit1-ledger.pdf',
  'unit1-lab-report.pdf',
  'unit2-ledger.pdf',
  'unit2-lab-report.pdf',
  'unit3-ledger.pdf',
  'unit3-gas-settlement.ofd',
  'heat-ledger.jpg',
  'purchased-electricity.png',
];

interface Upload {
  role: 'evidence' | 'report';
  fileName: string;
  key: string;
  method: 'PUT';
  url: string;
  headers: Record<string, string>;
}
interface Opened {
  depositId: string;
  uploads: Upload[];
}

const files = new Map<string, Buffer>([
  ['report.csv', readFileSync(new URL('valid/report.csv', EXAMPLES))],
  ...EVIDENCE.map((name) => [name, readFileSync(new URL(`evidence/${name}`, EXAMPLES))] as const),
]);
const declared = (fileName: string) => {
  const bytes = files.get(fileName) as Buffer;
  return { fileName, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
};

let token = '';

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${twin.apiUrl}${path}`, {
    method,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const put = (upload: Upload, body: Buffer) => fetch(upload.url, { method: upload.method, headers: upload.headers, body: new Uint8Array(body) });

beforeAll(async () => {
  // The example enterprise, unless another file on this shared twin registered it already.
  if (!(await twin.registry.get(EXAMPLE_ENTERPRISE_ID))) {
    const example = JSON.parse(readFileSync(new URL('enterprise.json', EXAMPLES), 'utf8')) as Enterprise;
    await twin.registry.putAll([example]);
  }
  token = (await signIn(twin, 'clerk')).accessToken;
});

describe('POST /enterprises/{enterpriseId}/deposits, then the uploads', () => {
  it('records the attempt from files PUT to the presigned links, with the SHA-256s declared', async () => {
    // Prepare
    const opened = await api('POST', `/enterprises/${EXAMPLE_ENTERPRISE_ID}/deposits`, {
      period: PERIOD,
      report: declared('report.csv'),
      evidence: EVIDENCE.map(declared),
    });
    expect(opened.status).toBe(201);
    const { depositId, uploads } = opened.json as unknown as Opened;
    expect(uploads.map((u) => u.role)).toEqual([...EVIDENCE.map(() => 'evidence'), 'report']);

    // Act: in the order given, with exactly the headers given.
    for (const upload of uploads) {
      const response = await put(upload, files.get(upload.fileName) as Buffer);
      expect(response.status, `${upload.fileName}: ${await response.text()}`).toBe(200);
    }

    // Assess: intake ran on the report's arrival; the history shows the attempt.
    const attempt = await eventually(async () => {
      const history = await api('GET', `/enterprises/${EXAMPLE_ENTERPRISE_ID}/history`);
      const periods = (history.json.periods ?? []) as { period: string; attempts: { attemptId: string; reportKey: string; verdict: string }[] }[];
      return periods.find((p) => p.period === PERIOD)?.attempts.find((a) => a.reportKey.includes(`/${depositId}/`));
    }, `the attempt of deposit ${depositId}`);
    const recorded = await twin.ledger.getAttempt(EXAMPLE_ENTERPRISE_ID, PERIOD, attempt.attemptId);
    const evidence = new Map((recorded?.files ?? []).map((f) => [f.fileName, f.sha256]));
    for (const name of EVIDENCE) expect(evidence.get(name), name).toBe(declared(name).sha256);
  });

  it('refuses a second PUT to the same link (412): the deposit folder is write-once', async () => {
    const opened = await api('POST', `/enterprises/${EXAMPLE_ENTERPRISE_ID}/deposits`, {
      period: PERIOD,
      report: declared('report.csv'),
      evidence: [declared('unit1-ledger.pdf')],
    });
    const [evidence] = (opened.json as unknown as Opened).uploads;
    if (!evidence) throw new Error('no upload');
    const bytes = files.get('unit1-ledger.pdf') as Buffer;

    const first = await put(evidence, bytes);
    const second = await put(evidence, bytes);

    expect(first.status).toBe(200);
    expect(second.status).toBe(412);
  });

  it('refuses another enterprise’s folder (403)', async () => {
    const other = await api('POST', `/enterprises/${JIUJIANG_ENTERPRISE_ID}/deposits`, { period: PERIOD, report: declared('report.csv') });

    expect(other.status).toBe(403);
    expect(other.json).toMatchObject({ error: 'forbidden' });
  });
});
