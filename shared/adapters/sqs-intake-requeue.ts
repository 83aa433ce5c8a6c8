/**
 * Hands a report upload back to the intake queue after a delay, as the S3 event notification it
 * arrived as (with its own event time, so the receipt time never moves), while its evidence may
 * still be uploading. How many times it has waited rides along as a message attribute, so the
 * body stays exactly what S3 sends.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { AnnouncedUpload, IntakeRequeue } from '#app/ports.ts';
import { type IntakeAnnouncerOptions, s3EventMessageOf } from './sqs-intake-announcer.ts';

/** The message attribute that counts intake's waits for a report's evidence. */
export const EVIDENCE_WAITS_ATTRIBUTE = 'EvidenceWaits';

/** Marks the records intake re-announced, for whoever reads a message in the DLQ. */
export const EVIDENCE_RECHECK_ID = 'evidence-recheck';

export class SqsIntakeRequeue implements IntakeRequeue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly options: IntakeAnnouncerOptions,
  ) {}

  async later(upload: AnnouncedUpload, delaySeconds: number, waited: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.options.queueUrl,
        MessageBody: s3EventMessageOf(upload, this.options, EVIDENCE_RECHECK_ID),
        DelaySeconds: delaySeconds,
        MessageAttributes: { [EVIDENCE_WAITS_ATTRIBUTE]: { DataType: 'Number', StringValue: String(waited) } },
      }),
    );
  }
}

/** The waits an intake message carries: 0 for S3's own event (or an attribute that is no count). */
export function evidenceWaitsOf(record: Pick<SQSRecord, 'messageAttributes'>): number {
  const waits = Number(record.messageAttributes?.[EVIDENCE_WAITS_ATTRIBUTE]?.stringValue);
  return Number.isSafeInteger(waits) && waits > 0 ? waits : 0;
}
