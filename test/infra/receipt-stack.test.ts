/**
 * The receipt signing key in the cloud: an asymmetric P-256 KMS key kept when the stack goes, that
 * only the query function may use, to sign and to read the public key — and told its ARN.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '#resources/api-routes.ts';
import { ENV } from '#resources/env.ts';
import { defaultTemplate } from './build-stack.ts';

type Resources = Record<string, { Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

let template: Template;
let keyId: string;

beforeAll(() => {
  template = defaultTemplate();
  const keys = Object.keys(template.findResources('AWS::KMS::Key', { Properties: { KeySpec: 'ECC_NIST_P256' } }));
  expect(keys).toHaveLength(1);
  keyId = keys[0] as string;
});

/** Every statement in the account's identity policies that names the receipt key, by the role it is attached to. */
function statementsOnKey(): { roles: string[]; statement: Record<string, any> }[] {
  const policies = template.findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies).flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as Record<string, any>[])
      .filter((s) => JSON.stringify(s.Resource ?? '').includes(keyId))
      .map((statement) => ({ roles: (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref), statement })),
  );
}

function roleOfFunction(prefix: string): string {
  const fns = template.findResources('AWS::Lambda::Function') as Resources;
  const entry = Object.entries(fns).find(([id]) => id.startsWith(prefix));
  if (!entry) throw new Error(`no function ${prefix}`);
  return entry[1].Properties.Role['Fn::GetAtt'][0] as string;
}

describe('the receipt signing key', () => {
  it('is an asymmetric ECC_NIST_P256 SIGN_VERIFY key, retained on stack deletion and replacement', () => {
    const key = (template.findResources('AWS::KMS::Key') as Resources)[keyId];
    expect(key?.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(key?.Properties.EnableKeyRotation).toBeUndefined();
    expect(key?.DeletionPolicy).toBe('Retain');
    expect(key?.UpdateReplacePolicy).toBe('Retain');
  });

  it('may be used by the query function only, for kms:Sign and kms:GetPublicKey only', () => {
    const grants = statementsOnKey();

    expect(grants).toHaveLength(1);
    expect(grants[0]?.roles).toEqual([roleOfFunction('FunctionsQuery')]);
    expect([grants[0]?.statement.Action].flat().sort()).toEqual(['kms:GetPublicKey', 'kms:Sign']);
    expect(grants[0]?.statement.Effect).toBe('Allow');
  });

  it('is named to the query function in its environment, and published as a stack output', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [roleOfFunction('FunctionsQuery'), 'Arn'] },
      Environment: { Variables: Match.objectLike({ [ENV.receiptKeyId]: { 'Fn::GetAtt': [keyId, 'Arn'] } }) },
    });
    template.hasOutput('ReceiptKeyArn', { Value: { 'Fn::GetAtt': [keyId, 'Arn'] } });
  });

  it('serves the receipt and the key through IAM-authorised routes of the query function', () => {
    for (const path of ['/attempts/{attemptId}/receipt', '/receipt-key']) {
      expect(API_ROUTES.find((r) => r.path === path)).toMatchObject({ method: 'GET', function: 'query' });
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `GET ${path}`, AuthorizationType: 'AWS_IAM' });
    }
  });
});
