/**
 * validate-deposit built by makeHandler with in-memory ports: invocations that overlap (as the
 * twin's pollers make them, and as one Lambda environment never does) keep their own outcomes.
 */
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ReportUpload } from '#app/record-deposit.ts';
import { reportKey } from '#domain/deposit-key.ts';
import type { Enterprise } from '#domain/registry.ts';
import { observability } from '#lambda/middy.ts';
import { makeHandler } from '#functions/validate-deposit/make-handler.ts';
import { demoEnterprises, demoReport } from '#twin/demo.ts';
import { fakeIntake } from '#test/support/fake-ports.ts';

const [good, slow] = demoEnterprises(2, '2024-01') as [Enterprise, Enterprise];
const context = { functionName: 'validate-deposit', awsRequestId: 'r1', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

function sqsRecord(messageId: string, upload: ReportUpload): SQSRecord {
  const s3 = {
    s3SchemaVersion: '1.0',
    configurationId: 'c',
    bucket: { name: 'deposits', ownerIdentity: { principalId: 'P' }, arn: 'arn:aws:s3:::deposits' },
    object: { key: upload.key, size: upload.size, eTag: upload.eTag, versionId: upload.versionId, sequencer: '01' },
  };
  const body = {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'cn-north-1',
        eventTime: upload.eventTime,
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:X' },
        requestParameters: { sourceIPAddress: '10.0.0.1' },
        responseElements: { 'x-amz-request-id': 'R', 'x-amz-id-2': 'I' },
        s3,
      },
    ],
  };
  return {
    messageId,
    receiptHandle: messageId,
    body: JSON.stringify(body),
    attributes: {} as SQSRecord['attributes'],
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:cn-north-1:1:intake',
    awsRegion: 'cn-north-1',
  };
}

describe('validate-deposit under overlapping invocations', () => {
  it("reports the first invocation's failed record even when a second invocation finishes meanwhile", async () => {
    const intake = fakeIntake();
    for (const e of [good, slow]) intake.registry.enterprises.set(e.enterpriseId, e);
    const uploadOf = (enterprise: Enterprise): ReportUpload => {
      const key = reportKey({ enterpriseId: enterprise.enterpriseId, period: '2026-01', depositId: 'd1', fileName: 'report.json' });
      const put = intake.store.put(key, JSON.stringify(demoReport(enterprise, '2026-01', 1)));
      return { key, size: put.size, eTag: put.eTag, versionId: put.versionId, eventTime: '2026-02-10T02:00:00.000Z' };
    };
    const failing = uploadOf(slow);
    const passing = uploadOf(good);
    // A fault of the moment (a throttle) on the slow enterprise's report, after the other call has run.
    const read = intake.store.read.bind(intake.store);
    intake.store.read = async (key, versionId) => {
      if (key !== failing.key) return read(key, versionId);
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw Object.assign(new Error('Rate exceeded'), { name: 'SlowDown' });
    };
    const handler = makeHandler(intake.deps, observability('validate-deposit')) as (
      event: SQSEvent,
      context: Context,
    ) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

    const first = handler({ Records: [sqsRecord('m-fails', failing), sqsRecord('m-ok-1', uploadOf({ ...good, enterpriseId: good.enterpriseId }))] }, context);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await handler({ Records: [sqsRecord('m-ok-2', passing)] }, context);
    const firstResult = await first;

    expect(second.batchItemFailures).toEqual([]);
    expect(firstResult.batchItemFailures).toEqual([{ itemIdentifier: 'm-fails' }]);
  });
});
