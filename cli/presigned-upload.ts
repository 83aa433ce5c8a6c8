/**
 * One file PUT to a presigned URL the API handed out, with exactly the headers it named (they are
 * part of what was signed: If-None-Match: * for write-once, x-amz-checksum-sha256 so S3 checks
 * and keeps the file's hash) plus the length of the body, streamed from disk with its progress.
 * node:http(s) rather than fetch: S3 takes no chunked upload to a presigned URL, and a request
 * stream says how many bytes have gone.
 */
import { createReadStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Upload } from '#app/open-deposit.ts';
import { CliError, EXIT } from '#cli/exit-codes.ts';

/** One upload, as POST /enterprises/{id}/deposits answers it (shared/app/open-deposit.ts). */
export type PresignedUpload = Omit<Upload, 'size'>;

export interface PutProgress {
  readonly fileName: string;
  readonly loaded: number;
  readonly total: number;
}

/** What S3 said when it refused, for people: its error code and message, never the URL's signature. */
async function refusalText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return [code, message].filter(Boolean).join(': ') || body.slice(0, 200);
}

/** PUTs `path` to the upload's URL; throws a CliError naming the file when storage refuses it. */
export async function putFile(upload: PresignedUpload, path: string, size: number, onProgress?: (progress: PutProgress) => void): Promise<void> {
  const url = new URL(upload.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const report = (loaded: number) => onProgress?.({ fileName: upload.fileName, loaded, total: size });
  report(0);
  let loaded = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      loaded += chunk.length;
      report(loaded);
      done(null, chunk);
    },
  });
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = send(url, { method: upload.method, headers: { ...upload.headers, 'content-length': String(size) } }, resolve);
    request.on('error', reject);
    pipeline(createReadStream(path), counter, request).catch(reject);
  }).catch((error: Error) => {
    throw new CliError(`${upload.fileName}: 上传失败 / the upload failed (${url.host}): ${(error as NodeJS.ErrnoException).code ?? error.message}`, EXIT.error);
  });
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) {
    response.resume();
    report(size);
    return;
  }
  const why = await refusalText(response);
  if (status === 412)
    throw new CliError(
      `${upload.fileName}: 该文件已存在，存证文件不可覆盖 / already uploaded under ${upload.key}: deposit folders are write-once (${why})`,
      EXIT.conflict,
    );
  if (status === 403)
    throw new CliError(`${upload.fileName}: 上传链接被拒绝（可能已过期）/ storage refused the upload link (expired?): ${why}`, EXIT.forbidden);
  throw new CliError(`${upload.fileName}: 上传失败 / the upload failed: HTTP ${status} ${why}`, status === 400 ? EXIT.usage : EXIT.error);
}
