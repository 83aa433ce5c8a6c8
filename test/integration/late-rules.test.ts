/**
 * One source of deadline rules: a twin of its own whose functions run with a city cut-off of 20
 * days (DEADLINE_RULES), and the CLI's late list, which must be the deployment's — the same as
 * the query API's — not one computed with the national 40 days.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import type { EnterprisePeriod } from '#domain/attempt.ts';
import type { Standing } from '#domain/rates.ts';
import { ENV } from '#resources/env.ts';
import { scratchDir } from '#twin/emulators.ts';
import { LocalTwin } from '#twin/twin.ts';
import { bearer, signIn, signInCli } from '../support/sign-in.ts';
import { testEnterprise } from '../support/twin.ts';

const run = promisify(execFile);
const PERIOD = '2026-01';
// A real city (scopes are GB/T 2260 divisions), written by name: the rule resolves it to 360400.
const CITY = '九江';
const SCOPE = `city:${CITY}`;
const RULES = JSON.stringify({ scopes: [{ scope: SCOPE, days: 20 }] });

let twin: LocalTwin;
let dataDir: string;
const stateDir = mkdtempSync(join(tmpdir(), 'evidence-late-rules-'));

const enterprises = {
  // January is due by the end of 20 February in this city (by 12 March under the national 40 days).
  onTime: testEnterprise({ city: CITY, name: '准时电厂' }),
  lateForTheCity: testEnterprise({ city: CITY, name: '市内逾期电厂' }),
  missing: testEnterprise({ city: CITY, name: '未交电厂' }),
};

function recordOf(enterprise: (typeof enterprises)[keyof typeof enterprises], receivedAt: string): EnterprisePeriod {
  return {
    enterpriseId: enterprise.enterpriseId,
    period: PERIOD,
    province: enterprise.province,
    city: enterprise.city,
    industry: enterprise.industry,
    attempts: [
      {
        attemptId: `${enterprise.enterpriseId.slice(-8)}00000000`,
        reportKey: `reports/${enterprise.enterpriseId}/${PERIOD}/d1/report.json`,
        receivedAt: new Date(receivedAt).toISOString(),
        onTime: true,
        verdict: 'accepted',
        errors: 0,
        warnings: 0,
      },
    ],
    version: 1,
  };
}

/** The CLI as a department runs it, on a twin named by a state file; DEADLINE_RULES only if given. */
async function cliLateList(state: Record<string, unknown>, env: Record<string, string> = {}): Promise<Standing[]> {
  const stateFile = join(stateDir, `twin-${Object.keys(env).length}-${'apiUrl' in state}.json`);
  writeFileSync(
    stateFile,
    JSON.stringify({
      endpoints: twin.endpoints,
      resources: twin.resources,
      identity: twin.identity,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      ...state,
    }),
  );
  // The test process holds the twin's function environment, rules included: the CLI must not inherit it.
  const { [ENV.deadlineRules]: _rules, ...inherited } = process.env;
  const { stdout } = await run('node', ['bin/evidence.js', 'summary', '--period', PERIOD, '--scope', SCOPE, '--json'], {
    env: {
      ...inherited,
      ...env,
      EVIDENCE_TWIN_STATE: stateFile,
      EVIDENCE_CONFIG_DIR: join(stateDir, 'cli'),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    timeout: 60_000,
  });
  return (JSON.parse(stdout) as { late: { late: Standing[] } }).late.late;
}

async function apiLateList(): Promise<Standing[]> {
  // 江西's department reads 九江's late list, signed in at this twin's own provider.
  const { accessToken } = await signIn(twin.identity, 'dept-jiangxi');
  const response = await fetch(`${twin.apiUrl}/late?period=${PERIOD}&scope=${encodeURIComponent(SCOPE)}`, { headers: bearer(accessToken) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { late: Standing[] }).late;
}

/** What does not depend on the second the list was computed (a missing enterprise's overdue time grows). */
const comparable = (list: readonly Standing[]) =>
  list.map((s) => ({
    enterpriseId: s.enterpriseId,
    submission: s.submission,
    lastDay: s.lastDay,
    ...(s.submission === 'late' ? { lateBySeconds: s.lateBySeconds } : {}),
  }));

beforeAll(async () => {
  dataDir = scratchDir('evidence-late-rules-');
  twin = await LocalTwin.start({ dataDir, retryDelaySeconds: 1, deadlineRules: RULES });
  // The CLI signed in as 江西's department, as `evidence login` leaves it.
  await signInCli(twin.identity, 'dept-jiangxi', join(stateDir, 'cli'));
  await new DynamoRegistry(twin.clients.db, twin.resources.tables.registry).putAll(Object.values(enterprises));
  for (const item of [recordOf(enterprises.onTime, '2026-02-15T10:00:00+08:00'), recordOf(enterprises.lateForTheCity, '2026-02-25T10:00:00+08:00')]) {
    await twin.clients.db.send(new PutCommand({ TableName: twin.resources.tables.deposits, Item: item }));
  }
});

afterAll(async () => {
  await twin?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

describe('the late list under a city cut-off of 20 days', () => {
  it('is the same from the CLI as from the query API: the deployment’s rules, not the national 40 days', async () => {
    const api = await apiLateList();
    const cli = await cliLateList({ apiUrl: twin.apiUrl });

    expect(comparable(api)).toEqual([
      { enterpriseId: enterprises.missing.enterpriseId, submission: 'missing', lastDay: '2026-02-20' },
      // Received 10:00 on 25 February, Beijing time; due by the end of 20 February.
      { enterpriseId: enterprises.lateForTheCity.enterpriseId, submission: 'late', lastDay: '2026-02-20', lateBySeconds: 4 * 86_400 + 10 * 3600 },
    ]);
    expect(comparable(cli)).toEqual(comparable(api));
  });

  it('whatever rules the CLI’s own environment holds: the list is the API’s, computed with the deployment’s', async () => {
    const cli = await cliLateList({ apiUrl: twin.apiUrl }, { [ENV.deadlineRules]: JSON.stringify({ days: 40, scopes: [], extensions: [] }) });
    expect(comparable(cli)).toEqual(comparable(await apiLateList()));
    expect(comparable(cli).map((s) => s.lastDay)).toEqual(['2026-02-20', '2026-02-20']);
  });
});
