/**
 * The two doors of the cloud API: every people route behind the JWT authorizer of the configured
 * issuer and audience, every machine route IAM-authorised, no route without authorization; the
 * Cognito user pool when the config asks for one (the cdk.json default), none when the province's
 * own OpenID Connect provider is named; and a Cognito config refused where Cognito is not offered.
 */
import { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInfraConfig } from '#infra/config.ts';
import { EvidenceDepositStack } from '#infra/stack/evidence-deposit-stack.ts';
import { MACHINE_ROUTES, PEOPLE_ROUTES, routeKeyOf } from '#resources/api-routes.ts';
import { ENV } from '#resources/env.ts';
import { buildStack, defaultTemplate, cdkJsonContext } from './build-stack.ts';

type Resources = Record<string, { Properties: Record<string, any> }>;

const resources = (template: Template, type: string) => template.findResources(type) as Resources;
const idOf = (template: Template, type: string, prefix: string): string => {
  const ids = Object.keys(resources(template, type)).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0]!;
};

/** The routes of one API, by route key. */
function routesOf(template: Template, apiId: string): Map<string, Record<string, any>> {
  const routes = Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).filter((r) => r.Properties.ApiId.Ref === apiId);
  return new Map(routes.map((r) => [r.Properties.RouteKey as string, r.Properties]));
}

/**
 * The doors, for either variant: `built()` is read inside each test (the template exists only
 * after beforeAll); the route keys are the shared table's, known when the tests are collected.
 */
function describeDoors(built: () => { template: Template; issuer: unknown; audience: unknown[] }) {
  const ids = () => {
    const { template } = built();
    const peopleApi = idOf(template, 'AWS::ApiGatewayV2::Api', 'PeopleApi');
    const machineApi = idOf(template, 'AWS::ApiGatewayV2::Api', 'MachineApi');
    const authorizers = Object.entries(resources(template, 'AWS::ApiGatewayV2::Authorizer'));
    return { template, peopleApi, machineApi, authorizers };
  };

  it("gives the people's API one JWT authorizer with the configured issuer and audience, reading the Authorization header", () => {
    const { peopleApi, authorizers } = ids();
    const { issuer, audience } = built();
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]![1].Properties).toEqual({
      ApiId: { Ref: peopleApi },
      AuthorizerType: 'JWT',
      Name: expect.any(String),
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: issuer, Audience: audience },
    });
  });

  it.each(PEOPLE_ROUTES.map(routeKeyOf))("puts %s on the people's API behind that JWT authorizer", (routeKey) => {
    const { template, peopleApi, authorizers } = ids();
    expect(routesOf(template, peopleApi).get(routeKey)).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizers[0]![0] } });
  });

  it.each(MACHINE_ROUTES.map(routeKeyOf))("puts %s on the machines' API behind IAM (SigV4)", (routeKey) => {
    const { template, machineApi } = ids();
    expect(routesOf(template, machineApi).get(routeKey)).toMatchObject({ AuthorizationType: 'AWS_IAM' });
  });

  it('has no other route, and no route without authorization', () => {
    const { template, peopleApi, machineApi } = ids();
    expect([...routesOf(template, peopleApi).keys()].sort()).toEqual(PEOPLE_ROUTES.map(routeKeyOf).sort());
    expect([...routesOf(template, machineApi).keys()].sort()).toEqual(MACHINE_ROUTES.map(routeKeyOf).sort());
    const all = Object.values(resources(template, 'AWS::ApiGatewayV2::Route'));
    expect(all).toHaveLength(PEOPLE_ROUTES.length + MACHINE_ROUTES.length);
    for (const route of all) expect(['JWT', 'AWS_IAM']).toContain(route.Properties.AuthorizationType);
  });

  it("publishes both APIs' URLs and the issuer for the CLI and the web app", () => {
    const { template, peopleApi, machineApi } = ids();
    template.hasOutput('PeopleApiUrl', { Value: { 'Fn::Join': ['', Match.arrayWith([{ Ref: peopleApi }])] } });
    template.hasOutput('MachineApiUrl', { Value: { 'Fn::Join': ['', Match.arrayWith([{ Ref: machineApi }])] } });
    template.hasOutput('Issuer', { Value: built().issuer });
  });
}

describe('with a Cognito user pool (the cdk.json default)', () => {
  let template: Template;
  beforeAll(() => {
    template = defaultTemplate();
  });
  const pool = () => idOf(template, 'AWS::Cognito::UserPool', 'IdentityUserPool');
  const client = () => idOf(template, 'AWS::Cognito::UserPoolClient', 'IdentityUserPoolAppClient');

  describeDoors(() => ({
    template,
    issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: pool() }]] },
    audience: [{ Ref: client() }],
  }));

  it('lets only administrators create users, requires TOTP MFA and a strong password, enforces threat protection, and is retained', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }) },
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
      }),
    });
  });

  it('has the four role groups and the custom attributes the claims mapping names', () => {
    const groups = Object.values(resources(template, 'AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(['administrator', 'department', 'enterprise', 'reviewer']);
    const schema = resources(template, 'AWS::Cognito::UserPool')[pool()]!.Properties.Schema as { Name: string; Mutable?: boolean }[];
    for (const name of ['credit_code', 'review_level', 'jurisdiction']) {
      expect(schema).toContainEqual(expect.objectContaining({ Name: name, AttributeDataType: 'String', Mutable: true }));
    }
  });

  it('has one public app client: authorization code (PKCE), no secret, the configured callbacks, writing none of the role-bearing attributes', () => {
    const props = resources(template, 'AWS::Cognito::UserPoolClient')[client()]!.Properties;
    expect(props).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: expect.arrayContaining(['openid']),
      CallbackURLs: (cdkJsonContext().evidenceDeposit as any).identity.cognito.callbackUrls,
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect(props.WriteAttributes.length).toBeGreaterThan(0);
    expect(props.WriteAttributes.filter((a: string) => a.startsWith('custom:') || ['name', 'email'].includes(a))).toEqual([]);
    expect(props.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });

  it('has a hosted sign-in domain and publishes what the CLI and the web app need', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    template.hasOutput('ClientId', { Value: { Ref: client() } });
    template.hasOutput('Audience', { Value: { Ref: client() } });
    template.hasOutput('UserPoolId', { Value: { Ref: pool() } });
    template.hasOutput('HostedUiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    template.hasOutput('TokenUse', { Value: 'id' });
  });

  it("tells the API functions where Cognito's ID token carries role and attributes", () => {
    const fns = Object.values(resources(template, 'AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.[ENV.identityClaims]);
    expect(fns).toHaveLength(4);
    for (const fn of fns) {
      expect(JSON.parse(fn.Properties.Environment.Variables[ENV.identityClaims])).toEqual({
        role: 'cognito:groups',
        enterpriseId: 'custom:credit_code',
        level: 'custom:review_level',
        jurisdiction: 'custom:jurisdiction',
      });
    }
  });
});

describe("with the province's own OpenID Connect provider", () => {
  const issuer = 'https://sso.example.gov.cn/realms/jiangxi';
  const audience = ['evidence-cli', 'evidence-web'];
  let template: Template;
  beforeAll(() => {
    template = buildStack({
      config: { identity: { issuer, audience, claims: { role: 'roles' } }, webOrigins: ['https://evidence.example.gov.cn'] },
    }).template;
  });

  it('creates no user pool', () => {
    expect(Object.keys(template.findResources('AWS::Cognito::UserPool'))).toEqual([]);
    expect(Object.keys(template.findResources('AWS::Cognito::UserPoolClient'))).toEqual([]);
    expect(template.findOutputs('UserPoolId')).toEqual({});
    expect(template.findOutputs('HostedUiUrl')).toEqual({});
  });

  describeDoors(() => ({ template, issuer, audience }));

  it('hands the configured claims subset to the API functions', () => {
    const fns = Object.values(resources(template, 'AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.[ENV.identityClaims]);
    expect(fns).toHaveLength(4);
    for (const fn of fns) expect(JSON.parse(fn.Properties.Environment.Variables[ENV.identityClaims])).toEqual({ role: 'roles' });
  });

  it("answers the web app's preflight from its origin only, on the people's API only", () => {
    const apis = Object.entries(resources(template, 'AWS::ApiGatewayV2::Api'));
    const people = apis.find(([id]) => id.startsWith('PeopleApi'))![1].Properties;
    const machine = apis.find(([id]) => id.startsWith('MachineApi'))![1].Properties;
    expect(people.CorsConfiguration).toMatchObject({
      AllowOrigins: ['https://evidence.example.gov.cn'],
      AllowMethods: expect.arrayContaining(['GET', 'POST']),
      AllowHeaders: expect.arrayContaining(['authorization']),
    });
    expect(machine.CorsConfiguration).toBeUndefined();
  });

  it('publishes the issuer, audience and first client id', () => {
    template.hasOutput('Issuer', { Value: issuer });
    template.hasOutput('Audience', { Value: audience.join(',') });
    template.hasOutput('ClientId', { Value: audience[0] });
    expect(template.findOutputs('TokenUse')).toEqual({});
  });
});

describe('where Cognito is not offered', () => {
  it('refuses a Cognito config for an AWS China region at synth, pointing at the own-provider option', () => {
    const config = parseInfraConfig(cdkJsonContext().evidenceDeposit);
    const app = new App({ context: cdkJsonContext() });
    expect(() => new EvidenceDepositStack(app, 'China', { config, env: { account: '123456789012', region: 'cn-northwest-1' } })).toThrow(
      /not offered in cn-northwest-1.*identity\.issuer/,
    );
  });
});
