/**
 * What the stack does so that a deposit stays what was deposited: write-once deposit folders,
 * uploads the validator can read, and reads by the version an event or an attempt names.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultTemplate } from './build-stack.ts';

let template: Template;

beforeAll(() => {
  template = defaultTemplate();
}, 180_000);

/** Every policy statement in the template, from role policies, managed policies and bucket policies. */
function statements(): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::S3::BucketPolicy']) {
    for (const resource of Object.values(template.findResources(type))) {
      const document = (resource.Properties as { PolicyDocument?: { Statement?: Record<string, unknown>[] } }).PolicyDocument;
      found.push(...(document?.Statement ?? []));
    }
  }
  return found;
}

const mentions = (statement: unknown, text: string) => JSON.stringify(statement).includes(text);

describe('the deposit of record in the cloud', () => {
  it('refuses any PUT to reports/ or evidence/ without If-None-Match, for every principal', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DepositFoldersAreWriteOnce',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:PutObject',
            Condition: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } },
          }),
        ]),
      },
    });
    const writeOnce = statements().find((s) => s.Sid === 'DepositFoldersAreWriteOnce');
    expect(mentions(writeOnce, '/reports/*') && mentions(writeOnce, '/evidence/*')).toBe(true);
  });

  it('denies enterprises uploads in an archive storage class or with a customer-provided key', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'OnlyStandardStorageClass',
            Effect: 'Deny',
            Action: 's3:PutObject',
            Condition: { Null: { 's3:x-amz-storage-class': 'false' }, StringNotEquals: { 's3:x-amz-storage-class': 'STANDARD' } },
          }),
          Match.objectLike({
            Sid: 'NoCustomerProvidedKeys',
            Effect: 'Deny',
            Action: 's3:PutObject',
            Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
          }),
        ]),
      },
    });
  });

  it('lets validate-deposit read object versions and write only under validation/', () => {
    const role = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('FunctionsValidateDeposit'));
    expect(role).toBeDefined();
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => mentions(p.Properties.Roles, role?.[0] ?? '?'));
    const granted = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
    const reads = granted.find((s) => mentions(s.Action, 's3:GetObjectVersion'));
    expect(reads && mentions(reads, '/reports/*') && mentions(reads, '/evidence/*')).toBe(true);
    const writes = granted.filter((s) => mentions(s.Action, 's3:PutObject'));
    expect(writes).toHaveLength(1);
    expect(mentions(writes[0], '/validation/*')).toBe(true);
    expect(mentions(writes[0], '/reports/') || mentions(writes[0], '/evidence/')).toBe(false);
  });
});
