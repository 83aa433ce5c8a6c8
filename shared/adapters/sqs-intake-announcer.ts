/**
 * Announces report uploads to the intake queue as S3 event notification messages, one record per
 * message as the bucket notification sends them, so validate-deposit reads them like any other.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AnnouncedUpload, IntakeAnnouncer } from '#app/ports.ts';

/** SendMessageBatch's limit. */
const BATCH_SIZE = 10;
const MAX_ROUNDS = 5;

/** How S3 writes keys into event notifications (URL-encoded, spaces as '+'). */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}

/** Marks the records this service wrote, for whoever reads a message in the DLQ. */
export const RECONCILE_CONFIGURATION_ID = 'evidence-reconcile';

export interface IntakeAnnouncerOptions {
  readonly queueUrl: string;
  readonly bucket: string;
  readonly region: string;
}

/** The notification S3 would have sent for this upload; `sender` marks who wrote it (reconcile unless named). */
export function s3EventMessageOf(
  upload: AnnouncedUpload,
  { bucket, region }: Pick<IntakeAnnouncerOptions, 'bucket' | 'region'>,
  sender: string = RECONCILE_CONFIGURATION_ID,
): string {
  const record = {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: upload.eventTime,
    eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: sender },
    requestParameters: { sourceIPAddress: 's3.amazonaws.com' },
    responseElements: { 'x-amz-request-id': sender, 'x-amz-id-2': sender },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: sender,
      bucket: { name: bucket, ownerIdentity: { principalId: sender }, arn: `arn:aws:s3:::${bucket}` },
      object: { key: encodeEventKey(upload.key), size: upload.size, eTag: upload.eTag, ...(upload.versionId ? { versionId: upload.versionId } : {}) },
    },
  };
  return JSON.stringify({ Records: [record] });
}

export class SqsIntakeAnnouncer implements IntakeAnnouncer {
  constructor(
    private readonly sqs: SQSClient,
    private readonly options: IntakeAnnouncerOptions,
  ) {}

  async announce(uploads: readonly AnnouncedUpload[]): Promise<void> {
    for (let i = 0; i < uploads.length; i += BATCH_SIZE) {
      let pending = uploads.slice(i, i + BATCH_SIZE).map((upload, n) => ({ Id: String(n), MessageBody: s3EventMessageOf(upload, this.options) }));
      for (let round = 0; pending.length > 0; round++) {
        if (round > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** round));
        const { Failed = [] } = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: pending }));
        // A sender fault (bad request) will not pass on retry; anything else might.
        const fatal = Failed.find((f) => f.SenderFault);
        if (fatal || (Failed.length > 0 && round + 1 >= MAX_ROUNDS)) {
          throw new Error(`could not announce ${Failed.length} upload(s) to intake: ${(fatal ?? Failed[0])?.Code} ${(fatal ?? Failed[0])?.Message ?? ''}`);
        }
        const failed = new Set(Failed.map((f) => f.Id));
        pending = pending.filter((e) => failed.has(e.Id));
      }
    }
  }
}
