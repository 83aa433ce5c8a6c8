/**
 * What every use case answers: the value, or a refusal the caller can act on — a code the HTTP
 * boundary maps to a status (shared/lambda/http.ts, one table) and a message in Chinese and
 * English. A refusal is an answer, not a fault: faults (a throttle, a timeout) are thrown, and
 * are what retries and 500s are for.
 */

export interface Message {
  readonly zh: string;
  readonly en: string;
}

export interface Refusal<Code extends string = string> {
  readonly code: Code;
  readonly message: Message;
}

export type Outcome<T, Code extends string = string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: Refusal<Code> };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });

export const refused = <Code extends string>(code: Code, zh: string, en: string): { readonly ok: false; readonly refusal: Refusal<Code> } => ({
  ok: false,
  refusal: { code, message: { zh, en } },
});

/** A message as one line, the way the project's bilingual messages read: "中文 / English". */
export function messageText(message: Message): string {
  return `${message.zh} / ${message.en}`;
}

/**
 * Narrows what a `catch` caught: anything thrown that is not an Error (a string, an object) is
 * wrapped, so callers read `name` and `message` without casts.
 */
export function assertIsError(error: unknown): asserts error is Error {
  if (!(error instanceof Error)) throw new Error(`a non-Error was thrown: ${String(error)}`, { cause: error });
}

/** The Error behind what a `catch` caught, for logging and for reading its name. */
export function errorOf(error: unknown): Error {
  return error instanceof Error ? error : new Error(`a non-Error was thrown: ${String(error)}`, { cause: error });
}
