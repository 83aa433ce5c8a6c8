/**
 * Who may do what, as managed policies attached to the principals named in the config. HTTP APIs
 * have no resource policy, so an IAM-authorised route is reachable only by identities whose own
 * policy allows execute-api:Invoke on it: these policies are the whole of that decision.
 */
import { Arn, ArnFormat, type CfnElement, Stack } from 'aws-cdk-lib';
import { type IRole, type IUser, ManagedPolicy, PolicyStatement, Role, User } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVIDENCE_PREFIX, REPORTS_PREFIX } from '#domain/deposit-key.ts';
import { ENTERPRISE_TAG } from './deposit-storage.ts';
import { acknowledge, nagArn, wildcardResource } from './nag.ts';
import { ENTERPRISE_HISTORY_ROUTE, type QueryApi } from './query-api.ts';

export interface AccessPoliciesProps {
  readonly reviewerPrincipalArns: readonly string[];
  readonly departmentPrincipalArns: readonly string[];
  readonly depositBucket: IBucket;
  readonly dashboardBucket: IBucket;
  readonly reviewQueue: IQueue;
  readonly enterprisePolicy: ManagedPolicy;
  readonly api?: QueryApi;
}

const ROUTE_WILDCARD_REASON =
  'execute-api ARNs name one route each; the only wildcards are the route\'s own path parameters ({enterpriseId}, {attemptId}), whose values are data, and the function behind the route authorises nothing broader.';

export class AccessPolicies extends Construct {
  readonly department: ManagedPolicy;
  readonly reviewer: ManagedPolicy;

  constructor(scope: Construct, id: string, props: AccessPoliciesProps) {
    super(scope, id);
    const { api, depositBucket, dashboardBucket, reviewQueue } = props;
    const readRouteArns = api ? api.readRoutes.map((route) => api.routeArn(route)) : [];
    const decisionRouteArns = api ? api.decisionRoutes.map((route) => api.routeArn(route)) : [];

    const department = attachTo(this, props.departmentPrincipalArns);
    this.department = new ManagedPolicy(this, 'Department', {
      description: 'Department of Ecology and Environment: read summaries, late lists and histories; read the dashboard and its exports.',
      ...department,
      statements: [
        ...(readRouteArns.length ? [new PolicyStatement({ sid: 'QueryApi', actions: ['execute-api:Invoke'], resources: readRouteArns })] : []),
        new PolicyStatement({ sid: 'Dashboard', actions: ['s3:GetObject'], resources: [dashboardBucket.arnForObjects('*')] }),
      ],
    });
    acknowledge(
      this.department,
      'Departments read the whole dashboard bucket by design: it holds only the static dashboard and the aggregate exports published for them, no enterprise evidence.',
      wildcardResource(`${nagArn(dashboardBucket)}/*`),
    );

    const reviewer = attachTo(this, props.reviewerPrincipalArns);
    const evidence = [REPORTS_PREFIX, EVIDENCE_PREFIX].map((prefix) => depositBucket.arnForObjects(`${prefix}*`));
    this.reviewer = new ManagedPolicy(this, 'Reviewer', {
      description: 'City/province reviewer: take review messages, read the deposits they refer to, query and decide through the API.',
      ...reviewer,
      statements: [
        ...(readRouteArns.length || decisionRouteArns.length
          ? [new PolicyStatement({ sid: 'QueryAndDecide', actions: ['execute-api:Invoke'], resources: [...readRouteArns, ...decisionRouteArns] })]
          : []),
        new PolicyStatement({
          sid: 'ReviewQueue',
          actions: ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          resources: [reviewQueue.queueArn],
        }),
        new PolicyStatement({
          sid: 'ReadDepositsUnderReview',
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: evidence,
        }),
      ],
    });
    acknowledge(
      this.reviewer,
      'A reviewer must open any enterprise\'s report and evidence files named in a review message; read-only, limited to the reports/ and evidence/ prefixes, with no write, delete or retention actions.',
      ...[REPORTS_PREFIX, EVIDENCE_PREFIX].map((prefix) => wildcardResource(`${nagArn(depositBucket)}/${prefix}*`)),
    );

    if (api) {
      const routeIds = [...api.readRoutes, ...api.decisionRoutes].filter((route) => route.path.includes('{'));
      const ids = routeIds.map((route) => wildcardResource(nagExecuteApiArn(api, route.method, route.path)));
      acknowledge(this.department, ROUTE_WILDCARD_REASON, ...ids.filter((_, i) => routeIds[i]?.method === 'GET'));
      acknowledge(this.reviewer, ROUTE_WILDCARD_REASON, ...ids);

      const history = api.readRoutes.find((route) => route.path === ENTERPRISE_HISTORY_ROUTE);
      if (history) {
        // An enterprise sees its own deposit history and nobody else's: IAM puts the caller's tag
        // where the {enterpriseId} path parameter goes.
        const ownHistory = api.routeArn(history, ENTERPRISE_HISTORY_ROUTE.replace('{enterpriseId}', `\${aws:PrincipalTag/${ENTERPRISE_TAG}}`));
        props.enterprisePolicy.addStatements(
          new PolicyStatement({ sid: 'OwnHistory', actions: ['execute-api:Invoke'], resources: [ownHistory] }),
        );
      }
    }
  }
}

/** How cdk-nag renders a route ARN from arnForExecuteApi inside an IAM5 finding id. */
function nagExecuteApiArn(api: QueryApi, method: string, path: string): string {
  const resource = `${api.api.apiId}/${api.stage.stageName}/${method}${path.replace(/\{[^}]+\}/g, '*')}`;
  return `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:${resource.replace(api.api.apiId, `<${logicalIdOf(api)}>`)}`;
}

function logicalIdOf(api: QueryApi): string {
  return Stack.of(api).getLogicalId(api.api.node.findChild('Resource') as CfnElement);
}

function attachTo(scope: Construct, arns: readonly string[]): { roles: IRole[]; users: IUser[] } {
  const roles: IRole[] = [];
  const users: IUser[] = [];
  arns.forEach((arn, index) => {
    const { resource } = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
    if (resource === 'role') roles.push(Role.fromRoleArn(scope, `Role${index}`, arn, { mutable: false }));
    else users.push(User.fromUserArn(scope, `User${index}`, arn));
  });
  return { roles, users };
}
