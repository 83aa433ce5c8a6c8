/**
 * What machines and operators may do, as managed policies attached to the IAM principals named in
 * the config. HTTP APIs have no resource policy, so a route of the machines' (IAM-authorised) API
 * is reachable only by identities whose own policy allows execute-api:Invoke on it: these policies
 * are the whole of that decision, route by route as API_ROUTES' `iam` says. People (enterprise
 * clerks, reviewers, departments) sign in with OIDC on the people's API instead.
 */
import { Arn, ArnFormat } from 'aws-cdk-lib';
import { type IRole, type IUser, ManagedPolicy, PolicyStatement, Role, User } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVIDENCE_PREFIX, VALIDATION_PREFIX, REPORTS_PREFIX } from '#domain/deposit-key.ts';
import { ENTERPRISE_TAG } from './deposit-storage.ts';
import { acknowledge, wildcardResource } from './nag.ts';
import type { ApiRoute } from '#resources/api-routes.ts';
import type { MachineApi } from './machine-api.ts';

export interface AccessPoliciesProps {
  readonly reviewerPrincipalArns: readonly string[];
  readonly departmentPrincipalArns: readonly string[];
  readonly depositBucket: IBucket;
  /** Nightly exports (aggregates published for departments). */
  readonly exportBucket: IBucket;
  readonly reviewQueue: IQueue;
  readonly enterprisePolicy: ManagedPolicy;
  readonly api: MachineApi;
}

const ROUTE_WILDCARD_REASON =
  "execute-api ARNs name one route each; the only wildcards are the route's own path parameters ({enterpriseId}, {attemptId}), whose values are data, and the function behind the route authorises nothing broader.";

export class AccessPolicies extends Construct {
  readonly department: ManagedPolicy;
  readonly reviewer: ManagedPolicy;

  constructor(scope: Construct, id: string, props: AccessPoliciesProps) {
    super(scope, id);
    const { api, depositBucket, exportBucket, reviewQueue } = props;
    // Reviewers read what departments read, and decide; API_ROUTES says which route is which.
    const departmentRoutes = api.routesFor('department');
    const reviewerRoutes = api.routesFor('department', 'reviewer');
    const readRouteArns = departmentRoutes.map((route) => api.routeArn(route));
    const reviewerRouteArns = reviewerRoutes.map((route) => api.routeArn(route));

    const department = attachTo(this, props.departmentPrincipalArns);
    this.department = new ManagedPolicy(this, 'Department', {
      description:
        "Department of Ecology and Environment, for its machines and operators: the machines' API routes granted to departments (summaries, late lists, receipts); read the nightly exports.",
      ...department,
      statements: [
        ...(readRouteArns.length ? [new PolicyStatement({ sid: 'MachineApi', actions: ['execute-api:Invoke'], resources: readRouteArns })] : []),
        new PolicyStatement({ sid: 'Exports', actions: ['s3:GetObject'], resources: [exportBucket.arnForObjects('*')] }),
      ],
    });
    acknowledge(
      this.department,
      'Departments read the whole export bucket by design: it holds only the aggregate exports published for them, no enterprise evidence.',
      wildcardResource(this, exportBucket.arnForObjects('*')),
    );

    const reviewer = attachTo(this, props.reviewerPrincipalArns);
    // validation/: an attempt too large for its ledger item is read whole from there.
    const evidence = [REPORTS_PREFIX, EVIDENCE_PREFIX, VALIDATION_PREFIX].map((prefix) => depositBucket.arnForObjects(`${prefix}*`));
    this.reviewer = new ManagedPolicy(this, 'Reviewer', {
      description:
        "City/province reviewer, for its machines and operators: take review messages, read the deposits they refer to, call the machines' API routes granted to reviewers and departments.",
      ...reviewer,
      statements: [
        ...(reviewerRouteArns.length ? [new PolicyStatement({ sid: 'MachineApi', actions: ['execute-api:Invoke'], resources: reviewerRouteArns })] : []),
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
      "A reviewer must open any enterprise's report and evidence files named in a review message; read-only, limited to the reports/ and evidence/ prefixes, with no write, delete or retention actions.",
      ...evidence.map((arn) => wildcardResource(this, arn)),
    );

    const parameterised = (routes: readonly ApiRoute[]) =>
      routes.filter((route) => route.path.includes('{')).map((route) => wildcardResource(this, api.routeArn(route)));
    acknowledge(this.department, ROUTE_WILDCARD_REASON, ...parameterised(departmentRoutes));
    acknowledge(this.reviewer, ROUTE_WILDCARD_REASON, ...parameterised(reviewerRoutes));

    // An enterprise may call its routes for itself only: IAM puts the caller's own tag where the
    // {enterpriseId} path parameter goes, so no other enterprise's id can match.
    const ownRoutes = api.routesFor('enterprise');
    const unscoped = ownRoutes.filter((route) => !route.path.includes(ENTERPRISE_PARAMETER));
    if (unscoped.length) {
      throw new Error(`routes granted to enterprises over IAM must be scoped by ${ENTERPRISE_PARAMETER}: ${unscoped.map((r) => r.path).join(', ')}`);
    }
    if (ownRoutes.length) {
      props.enterprisePolicy.addStatements(
        new PolicyStatement({
          sid: 'OwnHistory',
          actions: ['execute-api:Invoke'],
          resources: ownRoutes.map((route) => api.routeArn(route, route.path.replace(ENTERPRISE_PARAMETER, `\${aws:PrincipalTag/${ENTERPRISE_TAG}}`))),
        }),
      );
    }
  }
}

const ENTERPRISE_PARAMETER = '{enterpriseId}';

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
