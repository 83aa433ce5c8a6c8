/**
 * What the CLI writes besides its results: colour only for a terminal (and never with NO_COLOR,
 * https://no-color.org, or TERM=dumb), and upload progress bars on stderr only when stderr is a
 * terminal — so a pipe, a file or a CI log gets plain results on stdout and nothing else.
 */
import { MultiBar, Presets, SingleBar } from 'cli-progress';

type Stream = { readonly isTTY?: boolean };

/** FORCE_COLOR (as Node and chalk read it) wins; then NO_COLOR; then TERM=dumb; then whether it is a terminal. */
export function colourWanted(stream: Stream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

const CODES = { green: [32, 39], red: [31, 39], yellow: [33, 39], bold: [1, 22], dim: [2, 22] } as const;
export type Colour = keyof typeof CODES;

export function paint(text: string, colour: Colour, on = colourWanted()): string {
  const [open, close] = CODES[colour];
  return on ? `\u001b[${open}m${text}\u001b[${close}m` : text;
}

export function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = count / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export interface CountProgress {
  update(done: number, total: number): void;
  stop(): void;
}

/** One bar on stderr counting items (`label |███| 75/2200`), or nothing when stderr is not a terminal. */
export function countProgress(label: string, stream: NodeJS.WriteStream = process.stderr): CountProgress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar({ stream, format: ` ${label} |{bar}| {value}/{total}`, hideCursor: true, barsize: 24 }, Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export interface FileProgress {
  readonly fileName: string;
  readonly loaded: number;
  readonly total: number;
}

export interface UploadProgress {
  update(progress: FileProgress): void;
  stop(): void;
}

/** Bars on stderr (one per file: bytes, percent, speed), or nothing when stderr is not a terminal. */
export function uploadProgress(stream: NodeJS.WriteStream = process.stderr): UploadProgress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const multibar = new MultiBar(
    {
      stream,
      format: ' {file} |{bar}| {percentage}% {done}/{size} {speed}',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 24,
      // cli-progress writes ANSI cursor moves, but colour is another matter.
      barCompleteChar: '█',
      barIncompleteChar: '░',
    },
    Presets.shades_classic,
  );
  const bars = new Map<string, { bar: SingleBar; started: number }>();
  return {
    update({ fileName, loaded, total }) {
      let entry = bars.get(fileName);
      if (!entry) {
        entry = {
          bar: multibar.create(total, 0, { file: fileName.padEnd(28).slice(0, 28), done: bytes(0), size: bytes(total), speed: '' }),
          started: Date.now(),
        };
        bars.set(fileName, entry);
      }
      const seconds = Math.max((Date.now() - entry.started) / 1000, 0.001);
      entry.bar.update(loaded, { done: bytes(loaded), size: bytes(total), speed: `${bytes(Math.round(loaded / seconds))}/s` });
    },
    stop() {
      multibar.stop();
    },
  };
}

export interface Spinner {
  /** Replaces the text after the spinner. */
  update(text: string): void;
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A one-line spinner on stderr (`⠋ waiting… 4:59`), or nothing when stderr is not a terminal. */
export function spinner(text: string, stream: NodeJS.WriteStream = process.stderr): Spinner {
  if (!stream.isTTY) return { update() {}, stop() {} };
  let frame = 0;
  let current = text;
  const draw = () => stream.write(`\r\u001b[2K${FRAMES[frame++ % FRAMES.length]} ${current}`);
  draw();
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    update(next) {
      current = next;
    },
    stop() {
      clearInterval(timer);
      stream.write('\r\u001b[2K');
    },
  };
}
