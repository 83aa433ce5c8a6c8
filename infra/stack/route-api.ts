/**
 * What both HTTP APIs share: a stage with throttling and an access log (the default stage can
 * carry neither), and routes from API_ROUTES integrated with the function each names. The
 * people's API (people-api.ts) and the machines' API (machine-api.ts) differ only in their
 * authorizer, their routes and what the access log names as the caller.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CorsPreflightOptions,
  HttpApi,
  HttpMethod,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ApiFunction, ApiRoute } from '#resources/api-routes.ts';
import type { InfraConfig } from '../config.ts';

/** `{attemptId}`, but not the `${aws:PrincipalTag/...}` IAM policy variables an ARN may carry. */
const PATH_PARAMETER = /(?<!\$)\{[^}]+\}/g;

export type ApiFunctions = Readonly<Record<ApiFunction, IFunction>>;

export interface RouteApiProps {
  readonly description: string;
  readonly authorizer: IHttpRouteAuthorizer;
  readonly routes: readonly ApiRoute[];
  readonly functions: ApiFunctions;
  readonly throttle: InfraConfig['apiThrottle'];
  readonly logRetention: RetentionDays;
  /** The context variable that names the caller in the access log. */
  readonly caller: string;
  readonly corsPreflight?: CorsPreflightOptions;
}

export class RouteApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** The routes this API serves, each integrated with its function. */
  readonly routes: readonly ApiRoute[];

  constructor(scope: Construct, id: string, props: RouteApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: props.description,
      defaultAuthorizer: props.authorizer,
      corsPreflight: props.corsPreflight,
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
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat(props.caller) },
    });

    // The route table is shared with the local twin (shared/resources/api-routes.ts).
    const integrations = new Map<ApiFunction, HttpLambdaIntegration>();
    this.routes = props.routes;
    for (const route of this.routes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.function}Integration`, props.functions[route.function]);
        integrations.set(route.function, integration);
      }
      this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }
  }

  /** The stage's URL (`https://<id>.execute-api.<region>.amazonaws.com/`). */
  get url(): string {
    return this.stage.url;
  }

  /** The execute-api ARN an identity policy names to allow one route; path parameters become `*`. */
  routeArn(route: ApiRoute, path: string = route.path): string {
    return this.api.arnForExecuteApi(route.method, path.replace(PATH_PARAMETER, '*'), this.stage.stageName);
  }
}

function accessLogFormat(caller: string): AccessLogFormat {
  return AccessLogFormat.custom(
    JSON.stringify({
      requestId: '$context.requestId',
      requestTime: '$context.requestTime',
      routeKey: '$context.routeKey',
      status: '$context.status',
      caller,
      sourceIp: '$context.identity.sourceIp',
      responseLength: '$context.responseLength',
      integrationError: '$context.integrationErrorMessage',
      authorizerError: '$context.authorizer.error',
    }),
  );
}
