/**
 * yauzl's API, as much of it as shared/domain/file-safety.ts uses, on JSZip: the ZIP safety pass
 * (real unpacked bytes, entry count, each sheet's extent, macros, external links) then runs in the
 * browser exactly as intake runs it. yauzl needs Node's fs and streams; the web build aliases
 * `yauzl` to this file (web/vite.config.ts). Entries are inflated chunk by chunk (JSZip's
 * internal stream), so a ZIP bomb is stopped at the same byte count as on the server.
 */
import JSZip from 'jszip';

type Listener = (...args: never[]) => void;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }
  protected emit(name: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(name) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
}

/** JSZip's chunked reader (not in its type declarations). */
interface StreamHelper {
  on(event: 'data', listener: (chunk: Uint8Array) => void): StreamHelper;
  on(event: 'error', listener: (error: Error) => void): StreamHelper;
  on(event: 'end', listener: () => void): StreamHelper;
  resume(): StreamHelper;
  pause(): StreamHelper;
}

interface Entry {
  readonly fileName: string;
  readonly file: JSZip.JSZipObject;
}

class EntryStream extends Emitter {
  private helper?: StreamHelper;
  private destroyed = false;
  constructor(private readonly file: JSZip.JSZipObject) {
    super();
  }
  start(): void {
    // After the caller attached its listeners, as a Node stream starts flowing.
    queueMicrotask(() => {
      if (this.destroyed) return;
      const helper = (this.file as unknown as { internalStream(type: 'uint8array'): StreamHelper }).internalStream('uint8array');
      this.helper = helper;
      helper
        .on('data', (chunk) => {
          if (!this.destroyed) this.emit('data', Buffer.from(chunk));
        })
        .on('error', (error) => {
          if (!this.destroyed) this.emit('error', error);
        })
        .on('end', () => {
          if (!this.destroyed) this.emit('end');
        });
      helper.resume();
    });
  }
  destroy(): void {
    this.destroyed = true;
    this.helper?.pause();
  }
}

class ZipFile extends Emitter {
  constructor(private readonly entries: JSZip.JSZipObject[]) {
    super();
  }
  readEntry(): void {
    queueMicrotask(() => {
      const next = this.entries.shift();
      if (next) this.emit('entry', { fileName: next.name, file: next } satisfies Entry);
      else this.emit('end');
    });
  }
  openReadStream(entry: Entry, callback: (error: Error | null, stream?: EntryStream) => void): void {
    const stream = new EntryStream(entry.file);
    callback(null, stream);
    stream.start();
  }
  close(): void {
    this.entries.length = 0;
  }
}

function fromBuffer(buffer: Uint8Array, _options: unknown, callback: (error: Error | null, zip?: ZipFile) => void): void {
  JSZip.loadAsync(buffer).then(
    (zip) => callback(null, new ZipFile(Object.values(zip.files))),
    (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
  );
}

export default { fromBuffer };
