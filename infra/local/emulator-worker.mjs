// The S3 and SQS emulators on a thread of their own, so their request handling does not compete
// with the twin's functions for one event loop. Plain JavaScript: a worker gets no TS loader.
import { parentPort, workerData } from 'node:worker_threads';
import { createSqsServer } from 'local-aws-sqs';
import S3rver from 's3rver';

const { s3Port, sqsPort, s3Directory } = workerData;
const s3rver = new S3rver({ address: '127.0.0.1', port: s3Port, silent: true, directory: s3Directory });
await s3rver.run();
s3rver.on('event', (event) => parentPort.postMessage({ type: 's3-event', event }));
const sqs = await createSqsServer({ port: sqsPort, hostname: '127.0.0.1', emulateQueueCreationLifecycle: false });
parentPort.on('message', async (message) => {
  if (message.type !== 'stop') return;
  await Promise.allSettled([new Promise((resolve) => sqs.close(resolve)), s3rver.close()]);
  parentPort.postMessage({ type: 'stopped' });
});
parentPort.postMessage({ type: 'ready' });
