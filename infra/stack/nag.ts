/**
 * cdk-nag 3 reads acknowledgements from CDK's own Validations metadata, and each wildcard finding
 * must be acknowledged by its exact id (`AwsSolutions-IAM5[Resource::<Logical.Arn>/reports/*]`).
 * These helpers build those ids from the constructs themselves so a renamed resource does not leave
 * a stale acknowledgement behind (the nag test would then fail on the unacknowledged finding).
 */
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** `<LogicalId.Arn>`: how cdk-nag renders a `Fn::GetAtt [LogicalId, Arn]` inside a finding id. */
export function nagArn(resource: IConstruct): string {
  const element = resource.node.defaultChild as CfnElement | undefined;
  const target = element ?? (resource as CfnElement);
  return `<${Stack.of(resource).getLogicalId(target)}.Arn>`;
}

export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/** cdk-nag renders IAM policy variables `${aws:PrincipalTag/x}` as `<aws:PrincipalTag/x>`. */
export const wildcardResource = (resource: string): string =>
  `AwsSolutions-IAM5[Resource::${resource.replace(/\$\{([^}]+)\}/g, '<$1>')}]`;
export const wildcardAction = (action: string): string => `AwsSolutions-IAM5[Action::${action}]`;
