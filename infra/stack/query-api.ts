/**
 * The HTTP API: every route requires a SigV4-signed request (IAM authorization), so who may call
 * what is decided by identity policies (AccessPolicies) rather than by anything in the functions.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_ROUTES, type ApiRoute } from '#resources/api-routes.ts';
import type { InfraConfig } from '../config.ts';

/** `{attemptId}`, but not the `${aws:PrincipalTag/...}` IAM policy variables an ARN may carry. */
const PATH_PARAMETER = /(?<!\$)\{[^}]+\}/g;

const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    caller: '$context.identity.userArn',
    sourceIp: '$context.identity.sourceIp',
    responseLength: '$context.responseLength',
    integrationError: '$context.integrationErrorMessage',
  }),
);

export interface QueryApiProps {
  readonly query: IFunction;
  readonly review: IFunction;
  readonly throttle: InfraConfig['apiThrottle'];
  readonly logRetention: RetentionDays;
}

export class QueryApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** API_ROUTES, each integrated with its function. */
  readonly routes: readonly ApiRoute[];

  constructor(scope: Construct, id: string, props: QueryApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Evidence deposit queries and review decisions (IAM-authorised)',
      defaultAuthorizer: new HttpIamAuthorizer(),
      // Our own stage below carries the throttling and access logging the default stage cannot.
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = this.api.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    // The route table is shared with the local twin (shared/resources/api-routes.ts).
    const functions = { query: props.query, review: props.review };
    const integrations = new Map<ApiRoute['function'], HttpLambdaIntegration>();
    this.routes = API_ROUTES;
    for (const route of this.routes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.function}Integration`, functions[route.function]);
        integrations.set(route.function, integration);
      }
      this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }
  }

  routesFor(...access: readonly ApiRoute['access'][]): ApiRoute[] {
    return this.routes.filter((route) => access.includes(route.access));
  }

  /** The execute-api ARN an identity policy names to allow one route; path parameters become `*`. */
  routeArn(route: ApiRoute, path: string = route.path): string {
    return this.api.arnForExecuteApi(route.method, path.replace(PATH_PARAMETER, '*'), this.stage.stageName);
  }
}
