/**
 * Private bucket for the departments' dashboard: the static site under `site/` and nightly-summary's
 * JSON/CSV exports under `exports/`. Read by department principals with their own IAM credentials;
 * nothing here is public.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface DashboardHostingProps {
  readonly accessLogs: IBucket;
}

export class DashboardHosting extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, { accessLogs }: DashboardHostingProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'dashboard/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // Exports are regenerated every night; older versions only matter for a short look-back.
        { id: 'superseded-exports', noncurrentVersionExpiration: Duration.days(90) },
      ],
    });
  }
}
