/**
 * The deposit corpus (test/corpus/cases.ts) pushed through the real pipeline on the local twin:
 * uploaded to S3, announced on the intake queue, validated by the handler, read back from the
 * ledger. Cases that need an earlier ledger history, a reused key or non-default thresholds are
 * covered at domain level (test/corpus/corpus.test.ts): they share one enterprise and month
 * here, so their set-ups would leak into each other.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import { SIMULATED_RECEIPT_METADATA } from '#twin/twin.ts';
import { corpusCases } from '../corpus/cases.ts';
import { eventually, useTwin } from '../support/twin.ts';

const twin = useTwin();
// An evidence file marked unreadable stands for one S3 will not serve (archived, SSE-C…); uploaded here it would read fine.
const cases = (await corpusCases()).filter((c) => !c.before && !c.keyReused && !c.settings && !c.files.evidence.some((f) => f.unreadable !== undefined));

describe('the corpus through the pipeline', () => {
  it('keeps most cases for the twin run', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    if (c.enterprise) await twin.registry.putAll([c.enterprise]);
    else await twin.clients.db.send(new DeleteCommand({ TableName: twin.resources.tables.registry, Key: { enterpriseId: c.enterpriseId } }));

    const uploaded = await uploadDeposit(twin.clients.s3, twin.resources.bucket, {
      enterpriseId: c.enterpriseId,
      period: c.period,
      depositId: `corpus-${process.pid}-${i}`,
      report: { fileName: c.files.report.fileName, body: c.files.report.bytes },
      evidence: c.files.evidence.map((f) => ({ fileName: f.fileName, body: f.bytes })),
      reportMetadata: { [SIMULATED_RECEIPT_METADATA]: c.receivedAt },
    });
    const attempt = await eventually(
      async () => (await twin.ledger.attemptsOf(c.enterpriseId, c.period)).find((a) => a.reportKey === uploaded.reportKey),
      `the attempt for ${c.name}`,
    );

    expect([...new Set(attempt.validation.issues.map((issue) => issue.code))].sort()).toEqual([...c.expected.codes].sort());
    expect(attempt.verdict).toBe(c.expected.verdict);
  });
});
