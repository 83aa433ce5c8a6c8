// The S3 and SQS emulators on a thread of their own, so their request handling does not compete
// with the twin's functions for one event loop. Plain JavaScript: a worker gets no TS loader.
import crypto from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createSqsServer } from 'local-aws-sqs';
import S3rver from 's3rver';
import S3Error from 's3rver/lib/models/error.js';
import S3Object from 's3rver/lib/models/object.js';

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

/**
 * Listing past 1,000 keys. s3rver 3.7 fails every truncated ListObjectsV2 with InternalError: it
 * encrypts its continuation token with single DES, which OpenSSL 3 (Node 17+) only has in its
 * legacy provider (ERR_OSSL_EVP_UNSUPPORTED) — so `aws s3 ls --recursive`, `aws s3 sync` and the
 * SDK's paginator broke on a bucket of more than 1,000 objects. Triple DES with one key three
 * times is single DES and is still in OpenSSL's default provider, so in this thread (the worker has
 * its own `crypto` module object; the twin's functions never see this) 'des' means that.
 */
function singleDesAsTripleDes(create) {
  return (algorithm, key, iv, options) =>
    String(algorithm).toLowerCase() === 'des' ? create('des-ede3-cbc', Buffer.concat([key, key, key]), iv, options) : create(algorithm, key, iv, options);
}
crypto.createCipheriv = singleDesAsTripleDes(crypto.createCipheriv);
crypto.createDecipheriv = singleDesAsTripleDes(crypto.createDecipheriv);

/** s3rver's token (its controller deciphers it): region/bucket/last entry, DES-CBC with its fixed key and a random IV whose first byte is in [212, 216). */
function continuationToken(bucket, marker) {
  const key = Buffer.alloc(8, 'S3RVER', 'utf8');
  const iv = crypto.randomBytes(8);
  iv[0] = (iv[0] & 0b11) | 0b11010100;
  const cipher = crypto.createCipheriv('des', key, iv);
  return Buffer.concat([iv, cipher.update(`us-east-1/${bucket}/${marker}`, 'utf8'), cipher.final()]).toString('base64');
}

/**
 * Pages, too, as S3 makes them. s3rver's store walks folders in directory order, which is not key
 * order ('a-b' sorts before 'a/b' as a key, after it as a path), so a page resumed after a key
 * could skip some; it counts common prefixes against no limit, repeats one that straddles two
 * pages, and resumes after the last object even when a common prefix came after it. This
 * request's store answers `listObjects` from the sorted keys instead, counting keys and common
 * prefixes together up to max-keys, and the reply resumes after the page's last entry.
 */
const OBJECT_SUFFIX = '._S3rver_object';
const byUtf8 = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Every key under `prefix` and after `startAfter`, without reading any metadata; folders that cannot hold one are not entered. */
async function keysOf(store, bucket, prefix, startAfter) {
  const decode = store.constructor.decodeKeyPath;
  const keys = [];
  async function visit(folder, keyPrefix) {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        const sub = `${keyPrefix}${decode(entry.name)}/`;
        const meetsPrefix = sub.startsWith(prefix) || prefix.startsWith(sub);
        // Every key in `sub` sorts before startAfter when sub does and does not begin it.
        const beforeStart = byUtf8(sub, startAfter) < 0 && !startAfter.startsWith(sub);
        if (meetsPrefix && !beforeStart) await visit(join(folder, entry.name), sub);
      } else if (entry.name.endsWith(OBJECT_SUFFIX)) {
        const key = keyPrefix + decode(entry.name.slice(0, -OBJECT_SUFFIX.length));
        if (key.startsWith(prefix) && byUtf8(key, startAfter) > 0) keys.push(key);
      }
    }
  }
  try {
    await visit(store.getBucketPath(bucket), '');
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  return keys.sort(byUtf8);
}

/** One page; `next` is its last key or common prefix when more entries follow. */
async function listPage(store, bucket, { delimiter = '', startAfter = '', prefix = '', maxKeys = 1000 }) {
  const objects = [];
  const commonPrefixes = [];
  let last;
  let truncated = false;
  for (const key of await keysOf(store, bucket, prefix, startAfter ?? '')) {
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const entry = cut < 0 ? key : key.slice(0, cut + delimiter.length);
    // Keys under one common prefix are adjacent in key order; a previous page may have ended on it.
    if (cut >= 0 && (entry === last || byUtf8(entry, startAfter ?? '') <= 0)) continue;
    if (objects.length + commonPrefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    (cut < 0 ? objects : commonPrefixes).push(entry);
    last = entry;
  }
  const metadata = await Promise.all(
    objects.map((key) =>
      store.getMetadata(bucket, key).catch((error) => {
        if (error.code === 'ENOENT') return undefined; // deleted while listing
        throw error;
      }),
    ),
  );
  return {
    objects: objects.flatMap((key, i) => (metadata[i] ? [new S3Object(bucket, key, null, metadata[i])] : [])),
    commonPrefixes,
    next: truncated ? last : undefined,
  };
}

function listingMiddleware() {
  return async (ctx, next) => {
    const target = bucketAndKey(ctx.path);
    if (ctx.method !== 'GET' || !target.bucket || target.key !== '') return next();
    let resumeAfter;
    const store = s3rver.store;
    ctx.store = Object.create(store, {
      listObjects: {
        value: async (bucket, options) => {
          const page = await listPage(store, bucket, options);
          resumeAfter = page.next;
          // Untruncated as far as s3rver knows: its own token would resume after the last object.
          return { objects: page.objects, commonPrefixes: page.commonPrefixes, isTruncated: false };
        },
      },
    });
    await next();
    const result = ctx.body?.ListBucketResult;
    if (!result) return;
    const v2 = ctx.query['list-type'] === '2';
    // S3 counts common prefixes in KeyCount; s3rver counts objects only.
    if (v2) result.KeyCount = result.Contents.length + result.CommonPrefixes.length;
    if (resumeAfter === undefined) return;
    result.IsTruncated = true;
    if (v2) result.NextContinuationToken = continuationToken(target.bucket, resumeAfter);
    else if (ctx.query.delimiter) result.NextMarker = resumeAfter;
  };
}

// Koa composes its middleware when the server starts listening (run), so these can still go in
// just before s3rver's router, the last middleware its constructor added.
s3rver.middleware.splice(s3rver.middleware.length - 1, 0, listingMiddleware());

if (writeOnce) {
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
