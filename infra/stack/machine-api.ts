/**
 * The machines' API: the routes of MACHINE_ROUTES, every one requiring a SigV4-signed request (IAM
 * authorization), for integrations and operators. Who may call what is decided by identity
 * policies (AccessPolicies), route by route, as API_ROUTES' `iam` says.
 */
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type ApiRoute, MACHINE_ROUTES } from '#resources/api-routes.ts';
import type { InfraConfig } from '../config.ts';
import { type ApiFunctions, RouteApi } from './route-api.ts';

export interface MachineApiProps {
  readonly functions: ApiFunctions;
  readonly throttle: InfraConfig['apiThrottle'];
  readonly logRetention: RetentionDays;
}

export type IamGrant = NonNullable<ApiRoute['iam']>;

export class MachineApi extends RouteApi {
  constructor(scope: Construct, id: string, props: MachineApiProps) {
    super(scope, id, {
      description: 'Evidence deposit for machines and operators (IAM-authorised, SigV4)',
      authorizer: new HttpIamAuthorizer(),
      routes: MACHINE_ROUTES,
      functions: props.functions,
      throttle: props.throttle,
      logRetention: props.logRetention,
      caller: '$context.identity.userArn',
    });
  }

  /** The routes the given managed policies grant. */
  routesFor(...grants: readonly IamGrant[]): ApiRoute[] {
    return this.routes.filter((route) => route.iam !== undefined && grants.includes(route.iam));
  }
}
