/** S3 event notifications as they arrive in an SQS message body. */
import { S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import { z } from 'zod';
import { decodeEventKey } from '#domain/deposit-key.ts';
import type { ReportUpload } from '#app/record-deposit.ts';

// S3 sends this once when a notification is configured; it announces no object.
const S3TestEventSchema = z.object({ Service: z.literal('Amazon S3'), Event: z.literal('s3:TestEvent') });

export class MalformedEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEventError';
  }
}

/** The created objects an SQS message body announces; throws MalformedEventError for anything else. */
export function reportUploadsIn(body: string): ReportUpload[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedEventError(`message body is not JSON: ${body.slice(0, 120)}`);
  }
  if (S3TestEventSchema.safeParse(json).success) return [];
  const parsed = S3Schema.safeParse(json);
  if (!parsed.success) throw new MalformedEventError(`message body is not an S3 event notification: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data.Records.filter((r) => r.eventName.startsWith('ObjectCreated:')).map((r) => ({
    key: decodeEventKey(r.s3.object.key),
    size: r.s3.object.size ?? 0,
    eTag: r.s3.object.eTag ?? '',
    ...(r.s3.object.versionId ? { versionId: r.s3.object.versionId } : {}),
    eventTime: r.eventTime,
  }));
}
