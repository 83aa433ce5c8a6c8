/**
 * cdk-nag 3 reads acknowledgements from CDK's own Validations metadata, and each wildcard finding
 * must be acknowledged by its exact id, e.g.
 * `AwsSolutions-IAM5[Resource::<DepositStorageDeposits20823B6E.Arn>/reports/*]`. The ids are
 * computed here from the very ARN expression that is granted, resolved in its stack, so they follow
 * renamed resources and a concrete deploy environment (where partition and region become literals).
 * A stale acknowledgement cannot hide anything: the finding resurfaces and the nag test fails.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/** The IAM5 finding id for a granted resource ARN (a string that may hold tokens). */
export function wildcardResource(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

/**
 * How cdk-nag flattens a resolved CloudFormation value into a finding id (mirrors its internal
 * `flattenCfnReference`, which the package does not export).
 */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const value = node as Record<string, unknown>;
    if (Array.isArray(value['Fn::Join'])) {
      const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if ('Fn::Sub' in value) return flatten(value['Fn::Sub']);
    if (Array.isArray(value['Fn::GetAtt'])) {
      const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if ('Fn::ImportValue' in value) return flatten(value['Fn::ImportValue']);
    if ('Ref' in value) return `<${flatten(value.Ref)}>`;
  }
  return JSON.stringify(node);
}
