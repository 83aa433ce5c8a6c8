/**
 * The people's API: the routes of PEOPLE_ROUTES, every one behind a JWT authorizer that accepts
 * only tokens from the configured issuer with the configured audience (a Cognito user pool's app
 * client, or a province's own OpenID Connect provider). Which role may call which route, and which
 * enterprise, city or province it then reaches, the functions decide from the verified claims
 * (shared/lambda/http.ts, shared/domain/access.ts).
 */
import { Duration } from 'aws-cdk-lib';
import { CorsHttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PEOPLE_ROUTES } from '#resources/api-routes.ts';
import type { InfraConfig } from '../config.ts';
import { type ApiFunctions, RouteApi } from './route-api.ts';

export interface PeopleApiProps {
  readonly functions: ApiFunctions;
  readonly issuer: string;
  readonly audience: readonly string[];
  /** Browser origins of the web app (CORS preflight); none: no CORS. */
  readonly webOrigins: readonly string[];
  readonly throttle: InfraConfig['apiThrottle'];
  readonly logRetention: RetentionDays;
}

export class PeopleApi extends RouteApi {
  constructor(scope: Construct, id: string, props: PeopleApiProps) {
    super(scope, id, {
      description: 'Evidence deposit for people: enterprises, reviewers, departments, administrators (OIDC tokens, JWT authorizer)',
      authorizer: new HttpJwtAuthorizer('OidcAuthorizer', props.issuer, {
        jwtAudience: [...props.audience],
        identitySource: ['$request.header.Authorization'],
      }),
      routes: PEOPLE_ROUTES,
      functions: props.functions,
      throttle: props.throttle,
      logRetention: props.logRetention,
      // The issuer's stable id for the person; the functions log who they are by name.
      caller: '$context.authorizer.claims.sub',
      // API Gateway answers the preflight itself, before any authorizer (no unauthorised OPTIONS route).
      corsPreflight: props.webOrigins.length
        ? {
            allowOrigins: [...props.webOrigins],
            allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
            allowHeaders: ['authorization', 'content-type'],
            maxAge: Duration.hours(1),
          }
        : undefined,
    });
  }
}
