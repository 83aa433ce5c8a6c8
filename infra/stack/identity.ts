/**
 * Who signs people in, as the people's API sees it: an issuer, the audience its tokens carry, and
 * the claim names the functions read (ENV.identityClaims). Either a province's own OpenID Connect
 * provider named in the config (a Keycloak realm, a government unified sign-on), or an Amazon
 * Cognito user pool this construct creates, where the region offers Cognito (AWS China's regions
 * do not).
 *
 * The user pool: no self sign-up (administrators onboard people), TOTP MFA required, a strong
 * password policy, threat protection enforced on the Plus plan; the four role groups; the custom
 * attributes `credit_code`, `review_level`, `jurisdiction`, which only administrators can write
 * (the app client's write attributes leave them out); one public app client (authorization code
 * with PKCE, no secret) for the CLI and the web app; the hosted sign-in domain.
 *
 * Clients send the **ID token**: it carries `cognito:groups` and the custom attributes, and its
 * `aud` is the app client id, which is the authorizer's audience. Cognito's access token carries
 * neither the attributes (without a pre-token-generation trigger) nor an `aud`.
 */
import { Aws, Duration, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { ClaimMapping, Role } from '#domain/identity.ts';
import { type IdentityConfig, InfraConfigError } from '../config.ts';
import { acknowledge } from './nag.ts';

/** The Cognito custom attributes (tokens name them `custom:<name>`), written by administrators only. */
export const COGNITO_ATTRIBUTES = {
  creditCode: 'credit_code',
  reviewLevel: 'review_level',
  jurisdiction: 'jurisdiction',
} as const;

/** Where a Cognito ID token carries what the functions read (IDENTITY_CLAIMS). */
export const COGNITO_CLAIMS: Partial<ClaimMapping> = {
  role: 'cognito:groups',
  enterpriseId: `custom:${COGNITO_ATTRIBUTES.creditCode}`,
  level: `custom:${COGNITO_ATTRIBUTES.reviewLevel}`,
  jurisdiction: `custom:${COGNITO_ATTRIBUTES.jurisdiction}`,
};

const GROUPS: Record<Role, string> = {
  enterprise: "An enterprise's clerk: opens deposits and reads the enterprise's own months (custom:credit_code names it)",
  reviewer: 'A city or provincial reviewer: inbox, decisions (custom:review_level and custom:jurisdiction say where)',
  department: 'A Department of Ecology and Environment: summaries, late lists, exports (custom:jurisdiction says where)',
  administrator: 'Keeps the registry of obliged enterprises',
};

/** AWS China's regions (partition aws-cn) offer no Cognito user pools. */
const CHINA_REGION = /^cn-/;

export interface IdentityProps {
  readonly config: IdentityConfig;
  readonly environmentName: string;
  /**
   * The web app's origins (its own domain, and webOrigins): each origin's root `<origin>/` is where
   * the web app receives the code and where it returns after sign-out, so the app client accepts it
   * as a callback and a logout URL besides those configured.
   */
  readonly webOrigins?: readonly string[];
}

export class Identity extends Construct {
  /** The `iss` the people's API accepts. */
  readonly issuer: string;
  /** The `aud` values the people's API accepts (client ids). */
  readonly audience: readonly string[];
  /** The claim mapping handed to the functions; empty: the defaults (evidence_role, credit_code, …). */
  readonly claims: Record<string, unknown>;
  readonly userPool?: UserPool;
  readonly client?: UserPoolClient;
  readonly domain?: UserPoolDomain;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const { config } = props;
    if (config.kind === 'oidc') {
      this.issuer = config.issuer;
      this.audience = config.audience;
      this.claims = config.claims ?? {};
      return;
    }

    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && CHINA_REGION.test(region)) {
      throw new InfraConfigError(
        `identity.cognito: Amazon Cognito user pools are not offered in ${region} (AWS China); set identity.issuer and identity.audience to the province's own OpenID Connect provider instead (README, "Deploy to AWS")`,
      );
    }
    const { cognito } = config;
    const plus = cognito.featurePlan === 'PLUS';
    const webRoots = (props.webOrigins ?? []).map((origin) => `${origin}/`);

    this.userPool = new UserPool(this, 'UserPool', {
      // Administrators onboard every person (admin-create-user); nobody registers themselves.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // Nothing required: Cognito insists that a required attribute be writable by the app client,
      // and this client writes nothing that matters (see writeAttributes).
      standardAttributes: { email: { required: false, mutable: true }, fullname: { required: false, mutable: true } },
      customAttributes: {
        [COGNITO_ATTRIBUTES.creditCode]: new StringAttribute({ minLen: 18, maxLen: 18, mutable: true }),
        [COGNITO_ATTRIBUTES.reviewLevel]: new StringAttribute({ minLen: 1, maxLen: 16, mutable: true }),
        [COGNITO_ATTRIBUTES.jurisdiction]: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // A forgotten password is reset through the verified e-mail; MFA still applies at sign-in.
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(plus ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      // People are state: the pool outlives the stack like the bucket and the tables.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (!plus) {
      acknowledge(
        this.userPool,
        'identity.cognito.featurePlan is ESSENTIALS by the deployment owner: no threat protection, at a lower price per monthly active user; MFA stays required and nobody can sign up on their own.',
        'AwsSolutions-COG8',
      );
    }

    for (const [role, description] of Object.entries(GROUPS)) {
      this.userPool.addGroup(`${role}Group`, { groupName: role, description });
    }

    this.client = this.userPool.addClient('AppClient', {
      // Public: the CLI and a browser app cannot keep a secret; PKCE protects the code.
      generateSecret: false,
      authFlows: { userSrp: true },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: unique([...cognito.callbackUrls, ...webRoots]),
        logoutUrls: cognito.logoutUrls.length || webRoots.length ? unique([...cognito.logoutUrls, ...webRoots]) : undefined,
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // A working day: the CLI refreshes silently, then the person signs in (and passes MFA) again.
      refreshTokenValidity: Duration.hours(12),
      // Nobody edits their own attributes (role-bearing custom:*, name, e-mail): only the display
      // language is theirs. Not empty on purpose: an empty list would mean Cognito's default.
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true }),
    });

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: {
        domainPrefix: cognito.domainPrefix ?? Fn.join('-', ['evidence', props.environmentName, Aws.ACCOUNT_ID]),
      },
    });

    this.issuer = `https://cognito-idp.${region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.audience = [this.client.userPoolClientId];
    this.claims = { ...COGNITO_CLAIMS };
  }

  /** The hosted sign-in page's base URL (Cognito only). */
  hostedUiUrl(): string | undefined {
    return this.domain?.baseUrl();
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
