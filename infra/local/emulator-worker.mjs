// The S3 and SQS emulators on a thread of their own, so their request handling does not compete
// with the twin's functions for one event loop. Plain JavaScript: a worker gets no TS loader.
import { parentPort, workerData } from 'node:worker_threads';
import { createSqsServer } from 'local-aws-sqs';
import S3rver from 's3rver';
import S3Error from 's3rver/lib/models/error.js';

const { s3Port, sqsPort, s3Directory, eventPrefix, writeOnce } = workerData;
const s3rver = new S3rver({ address: '127.0.0.1', port: s3Port, silent: true, directory: s3Directory });

// Subresource requests that change no object's bytes (a part of a multipart upload, tags, ACLs).
const NOT_AN_OBJECT_WRITE = ['uploadId', 'partNumber', 'tagging', 'acl', 'uploads'];

/** The bucket and key a path-style request names (after s3rver's vhost rewrite), decoded. */
function bucketAndKey(path) {
  const [, bucket = '', ...rest] = path.split('/');
  try {
    return { bucket: decodeURIComponent(bucket), key: rest.map((segment) => decodeURIComponent(segment)).join('/') };
  } catch {
    return { bucket, key: rest.join('/') };
  }
}

/** A write that would create or replace the object at the request's key: PUT (incl. CopyObject), CompleteMultipartUpload. */
function objectWrite(ctx) {
  if (ctx.method === 'PUT') return !NOT_AN_OBJECT_WRITE.some((name) => name in ctx.query);
  return ctx.method === 'POST' && 'uploadId' in ctx.query;
}

/**
 * Deposit folders are write-once. The cloud refuses an overwrite of reports/ and evidence/ with a
 * bucket policy (and Object Lock keeps every version anyway); s3rver keeps one copy per key, so an
 * overwrite here would silently replace the bytes an attempt recorded. The twin answers as S3
 * answers `If-None-Match: *` on an existing key: 412 PreconditionFailed, and 409
 * ConditionalRequestConflict to a second write racing the first for the same key.
 * Other buckets (exports) and other prefixes (validation/) stay overwritable.
 */
function writeOnceMiddleware({ bucket, prefixes }) {
  const inFlight = new Set();
  return async (ctx, next) => {
    if (!objectWrite(ctx)) return next();
    const target = bucketAndKey(ctx.path);
    if (target.bucket !== bucket || !prefixes.some((prefix) => target.key.startsWith(prefix))) return next();
    const id = `${target.bucket}/${target.key}`;
    if (inFlight.has(id)) {
      const conflict = new S3Error('ConditionalRequestConflict', 'A conflicting operation occurred. If using PutObject you can retry the request.', {
        Key: target.key,
      });
      conflict.status = 409;
      throw conflict;
    }
    if (await s3rver.store.existsObject(target.bucket, target.key)) {
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match', Key: target.key });
    }
    inFlight.add(id);
    try {
      await next();
    } finally {
      inFlight.delete(id);
    }
  };
}

if (writeOnce) {
  // Koa composes its middleware when the server starts listening (run), so the check can still go
  // in just before s3rver's router, the last middleware its constructor added.
  s3rver.middleware.splice(s3rver.middleware.length - 1, 0, writeOnceMiddleware(writeOnce));
}
await s3rver.run();

/** The object's x-amz-meta-* headers, read from s3rver's store: the relay then needs no HEAD request. */
async function userMetadataOf(bucket, key) {
  try {
    const stored = await s3rver.store.getMetadata(bucket, key);
    return Object.fromEntries(
      Object.entries(stored)
        .filter(([name]) => name.startsWith('x-amz-meta-'))
        .map(([name, value]) => [name.slice('x-amz-meta-'.length), value]),
    );
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
