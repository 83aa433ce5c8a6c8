/**
 * Private bucket for nightly-summary's JSON/CSV exports under `exports/`: written by
 * nightly-summary, listed and presigned by query (ENV.exportBucket), read by department principals
 * with their own IAM credentials. Nothing here is public. The web app itself lives in its own
 * bucket behind CloudFront (web-hosting.ts), so no origin identity can ever read an export.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface ExportStorageProps {
  readonly accessLogs: IBucket;
}

export class ExportStorage extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, { accessLogs }: ExportStorageProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'exports/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // Exports are regenerated every night; older versions only matter for a short look-back.
        { id: 'superseded-exports', noncurrentVersionExpiration: Duration.days(90) },
      ],
    });
  }
}
