/**
 * The deposit bucket's report uploads, listed page by page: every version where the bucket is
 * versioned (each version is an upload, and an attempt), the current objects where it is not
 * (s3rver on the twin keeps no versions).
 */
import { HeadObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { REPORTS_PREFIX } from '#domain/deposit-key.ts';
import type { ReportObject, ReportObjects } from '#app/ports.ts';

export interface S3ReportObjectsOptions {
  /** List with ListObjectVersions (the cloud's versioned bucket) rather than ListObjectsV2. */
  readonly versioned: boolean;
  /**
   * User metadata that, when an object carries it, holds its receipt time instead of LastModified
   * (the twin's simulated receipt time for replays; read with one HEAD per object announced).
   */
  readonly receiptTimeMetadata?: string;
  /** Keys per page (S3's maximum and default is 1000). */
  readonly pageSize?: number;
}

/** ListObjects quotes ETags; S3 events do not. */
export function unquotedETag(eTag: string | undefined): string {
  return (eTag ?? '').replaceAll('"', '');
}

export class S3ReportObjects implements ReportObjects {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly options: S3ReportObjectsOptions,
  ) {}

  pages(since?: Date): AsyncIterable<readonly ReportObject[]> {
    return this.options.versioned ? this.versionPages(since) : this.objectPages(since);
  }

  private async *objectPages(since?: Date): AsyncGenerator<readonly ReportObject[]> {
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: REPORTS_PREFIX, ContinuationToken: token, MaxKeys: this.options.pageSize }),
      );
      yield (page.Contents ?? [])
        .filter((o) => o.Key && isAfter(o.LastModified, since))
        .map((o) => ({ key: o.Key as string, eTag: unquotedETag(o.ETag), size: o.Size ?? 0, lastModified: isoOf(o.LastModified) }));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  private async *versionPages(since?: Date): AsyncGenerator<readonly ReportObject[]> {
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    for (;;) {
      const page = await this.s3.send(
        new ListObjectVersionsCommand({
          Bucket: this.bucket,
          Prefix: REPORTS_PREFIX,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
          MaxKeys: this.options.pageSize,
        }),
      );
      // Delete markers are not uploads; "null" is the version of an object stored before versioning,
      // whose S3 event carried no version id.
      yield (page.Versions ?? [])
        .filter((v) => v.Key && isAfter(v.LastModified, since))
        .map((v) => ({
          key: v.Key as string,
          ...(v.VersionId && v.VersionId !== 'null' ? { versionId: v.VersionId } : {}),
          eTag: unquotedETag(v.ETag),
          size: v.Size ?? 0,
          lastModified: isoOf(v.LastModified),
        }));
      if (!page.IsTruncated) return;
      keyMarker = page.NextKeyMarker;
      versionMarker = page.NextVersionIdMarker;
    }
  }

  async receiptTimeOf(object: ReportObject): Promise<string> {
    const name = this.options.receiptTimeMetadata;
    if (!name) return object.lastModified;
    const head = await this.s3.send(
      new HeadObjectCommand({ Bucket: this.bucket, Key: object.key, ...(object.versionId ? { VersionId: object.versionId } : {}) }),
    );
    const simulated = head.Metadata?.[name];
    return simulated && !Number.isNaN(Date.parse(simulated)) ? new Date(simulated).toISOString() : object.lastModified;
  }
}

function isAfter(modified: Date | undefined, since: Date | undefined): boolean {
  return !since || (modified !== undefined && modified.getTime() > since.getTime());
}

function isoOf(modified: Date | undefined): string {
  return (modified ?? new Date(0)).toISOString();
}
