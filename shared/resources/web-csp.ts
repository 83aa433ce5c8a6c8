/**
 * The web app's content security policy, defined once: the stack's CloudFront response headers
 * policy (infra/stack/web-hosting.ts) and the twin's server (infra/local/http-api.ts) send the
 * same one, so the browser tests run the app under the policy the cloud serves.
 */
/** The hosts the page may reach besides itself. */
export interface CspSources {
  /** fetch/XHR: the people's API, the issuer (discovery, token endpoint), the buckets the presigned links name. */
  readonly connect: readonly string[];
  /** <img>: the buckets whose presigned links the workbench previews. */
  readonly images: readonly string[];
}

/**
 * The content security policy: scripts, styles and workers only from the site itself (no inline
 * code, no eval: pdf.js runs with isEvalSupported: false); data only from the API, the issuer and
 * the buckets; the page may not be framed; no plugins; forms and <base> only to the site.
 * `blob:` for workers and images: pdf.js may start its worker from a blob, and previews may be
 * shown from a fetched blob.
 */
export function contentSecurityPolicy(sources: CspSources): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self'", 'data:', 'blob:', ...sources.images],
    ['font-src', "'self'", 'data:'],
    ['connect-src', "'self'", ...sources.connect],
    ['worker-src', "'self'", 'blob:'],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((words) => [...new Set(words)].join(' ')).join('; ');
}
