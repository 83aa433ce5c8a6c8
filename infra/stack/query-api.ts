/**
 * The HTTP API: every route requires a SigV4-signed request (IAM authorization), so who may call
 * what is decided by identity policies (AccessPolicies) rather than by anything in the functions.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, type HttpStage, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';

export interface RouteSpec {
  readonly method: HttpMethod;
  readonly path: string;
}

/** Read routes, answered by the query function; department and reviewer principals may call them. */
export const READ_ROUTES: readonly RouteSpec[] = [
  { method: HttpMethod.GET, path: '/summaries' },
  { method: HttpMethod.GET, path: '/late' },
  { method: HttpMethod.GET, path: '/enterprises/{enterpriseId}/history' },
  { method: HttpMethod.GET, path: '/attempts/{attemptId}' },
];
/** Decision route, answered by the review function; reviewer principals only. */
export const DECISION_ROUTES: readonly RouteSpec[] = [{ method: HttpMethod.POST, path: '/attempts/{attemptId}/decision' }];
/** `{attemptId}`, but not the `${aws:PrincipalTag/...}` IAM policy variables an ARN may carry. */
const PATH_PARAMETER = /(?<!\$)\{[^}]+\}/g;

export const ENTERPRISE_HISTORY_ROUTE = '/enterprises/{enterpriseId}/history';

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
  readonly query?: IFunction;
  readonly review?: IFunction;
  readonly throttle: InfraConfig['apiThrottle'];
  readonly logRetention: RetentionDays;
}

export class QueryApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly readRoutes: readonly RouteSpec[];
  readonly decisionRoutes: readonly RouteSpec[];

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

    this.readRoutes = props.query ? READ_ROUTES : [];
    this.decisionRoutes = props.review ? DECISION_ROUTES : [];
    if (props.query) this.route('Query', props.query, this.readRoutes);
    if (props.review) this.route('Review', props.review, this.decisionRoutes);
  }

  /** The execute-api ARN an identity policy names to allow one route; path parameters become `*`. */
  routeArn(route: RouteSpec, path: string = route.path): string {
    return this.api.arnForExecuteApi(route.method, path.replace(PATH_PARAMETER, '*'), this.stage.stageName);
  }

  private route(id: string, fn: IFunction, routes: readonly RouteSpec[]): void {
    const integration = new HttpLambdaIntegration(`${id}Integration`, fn);
    for (const route of routes) this.api.addRoutes({ path: route.path, methods: [route.method], integration });
  }
}
