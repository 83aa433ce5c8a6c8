/**
 * What every area of the web app is handed: the API (with the signed-in person's token), who the
 * person is (GET /me), and the message catalogue in the chosen language. Areas never fetch or sign
 * in on their own.
 */
import type { Lang } from './messages.ts';

/** GET /me, as the API answers it. */
export interface Me {
  readonly role: 'enterprise' | 'reviewer' | 'department' | 'administrator';
  readonly subject: string;
  readonly name: string;
  readonly enterpriseId?: string;
  readonly level?: 'city' | 'province';
  readonly jurisdiction?: {
    readonly kind: 'province' | 'city';
    readonly code: string;
    readonly name: string;
    readonly province?: string;
    readonly provinceName?: string;
  };
  readonly routes: readonly string[];
}

/** A refusal or fault the API answered: its status, its code and its bilingual message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Api {
  /** JSON in, JSON out; throws ApiError for a status ≥ 400. `path` is the API's (`/inbox?…`). */
  json<T>(path: string, init?: { readonly method?: 'GET' | 'POST'; readonly body?: unknown }): Promise<T>;
}

export interface AppContext {
  readonly api: Api;
  readonly me: Me;
  readonly lang: Lang;
  readonly t: (key: string, params?: Readonly<Record<string, string | number>>) => string;
}
