// The S3 and SQS emulators on a thread of their own, so their request handling does not compete
// with the twin's functions for one event loop. Plain JavaScript: a worker gets no TS loader.
import { parentPort, workerData } from 'node:worker_threads';
import { createSqsServer } from 'local-aws-sqs';
import S3rver from 's3rver';

const { s3Port, sqsPort, s3Directory, eventPrefix } = workerData;
const s3rver = new S3rver({ address: '127.0.0.1', port: s3Port, silent: true, directory: s3Directory });
await s3rver.run();

/** The object's x-amz-meta-* headers, read from s3rver's store: the relay then needs no HEAD request. */
async function userMetadataOf(bucket, key) {
  try {
    const stored = await s3rver.store.getMetadata(bucket, key);
    return Object.fromEntries(Object.entries(stored).filter(([name]) => name.startsWith('x-amz-meta-')).map(([name, value]) => [name.slice('x-amz-meta-'.length), value]));
  } catch {
    return {}; // Gone already (deleted): the event still goes out, as S3's would.
  }
}

s3rver.on('event', async (event) => {
  // Only events under the notification prefix cross to the twin (S3 filters the same way).
  const records = event.Records.filter((r) => r.s3.object.key.startsWith(eventPrefix));
  if (records.length === 0) return;
  const metadata = await Promise.all(records.map((r) => (r.eventName.startsWith('ObjectCreated') ? userMetadataOf(r.s3.bucket.name, r.s3.object.key) : {})));
  parentPort.postMessage({ type: 's3-event', event: { ...event, Records: records }, metadata });
});
const sqs = await createSqsServer({ port: sqsPort, hostname: '127.0.0.1', emulateQueueCreationLifecycle: false });
parentPort.on('message', async (message) => {
  if (message.type !== 'stop') return;
  await Promise.allSettled([new Promise((resolve) => sqs.close(resolve)), s3rver.close()]);
  parentPort.postMessage({ type: 'stopped' });
});
parentPort.postMessage({ type: 'ready' });
