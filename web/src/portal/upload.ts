/**
 * The deposit's uploads, straight to the bucket: one presigned, write-once PUT per file with
 * exactly the headers the API signed into it (content type, If-None-Match: *, the SHA-256),
 * evidence first and the report last (its arrival starts validation). XMLHttpRequest, not fetch,
 * because only it reports upload progress.
 */

// The deposit's answer as the API's use case declares it (types only: nothing of shared/app is bundled).
import type { OpenedDeposit, Upload } from '#app/open-deposit.ts';

export type { OpenedDeposit, Upload };

/** A PUT the bucket refused, or that never reached it (network, CORS). */
export class UploadError extends Error {
  constructor(
    readonly fileName: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${fileName}: ${status ? `HTTP ${status}` : 'network'} ${detail}`.trim());
    this.name = 'UploadError';
  }
}

export function putFile(upload: Upload, file: Blob, onProgress: (loaded: number, total: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method, upload.url);
    // Exactly the signed headers: the browser sets Host and Content-Length (the file's size) itself.
    for (const [name, value] of Object.entries(upload.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : upload.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(upload.size, upload.size);
        resolve();
      } else {
        const code = /<Code>([^<]+)<\/Code>/.exec(xhr.responseText ?? '')?.[1] ?? '';
        reject(new UploadError(upload.fileName, xhr.status, code));
      }
    };
    xhr.onerror = () => reject(new UploadError(upload.fileName, 0, ''));
    xhr.send(file);
  });
}
