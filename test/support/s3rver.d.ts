/** The part of s3rver's API the tests use (it ships no types; the twin loads it from plain JS). */
declare module 's3rver' {
  export default class S3rver {
    constructor(options: { address?: string; port?: number; silent?: boolean; directory: string });
    run(): Promise<unknown>;
    close(): Promise<void>;
  }
}
