import { describe, expect, it } from 'vitest';
import { BACKFILL_2025, deadlineFor } from '#domain/deadline.ts';
import { InfraConfigError, parseInfraConfig } from '#infra/config.ts';
import { cdkJsonContext } from './build-stack.ts';

/** The smallest identity a config must name: the province's own provider. */
const OWN_ISSUER = { issuer: 'https://sso.example.gov.cn/realms/jiangxi', audience: ['evidence-cli'] };

describe('infra config', () => {
  it('accepts the cdk.json context and fills the defaults', () => {
    const config = parseInfraConfig(cdkJsonContext().evidenceDeposit);
    expect(config).toMatchObject({ environmentName: 'dev', retentionYears: 5, objectLockMode: 'GOVERNANCE', deadlineRules: { days: 40 } });
  });

  it('carries the 2025 back-fill of cement, aluminium and steel as deadline configuration: their January–June 2025 due 31 October 2025', () => {
    const { deadlineRules } = parseInfraConfig(cdkJsonContext().evidenceDeposit);
    expect(deadlineRules.extensions).toEqual(expect.arrayContaining(BACKFILL_2025));
    const cement = { province: '360000', city: '360100', industry: 'cement', industries: [{ industry: 'cement', obligedFrom: '2025-01' }] };
    const power = { province: '360000', city: '360100', industry: 'power', industries: [{ industry: 'power', obligedFrom: '2022-04' }] };
    expect(deadlineFor('2025-03', cement, deadlineRules).lastDay).toBe('2025-10-31');
    expect(deadlineFor('2025-03', power, deadlineRules).lastDay).toBe('2025-05-10');
  });

  it('reads a JSON string, which is how `cdk deploy -c evidenceDeposit=...` passes it', () => {
    const config = parseInfraConfig(
      '{"environmentName":"prod","objectLockMode":"COMPLIANCE","retentionYears":7,"identity":{"issuer":"https://sso.example.gov.cn/realms/jiangxi","audience":["evidence-cli"]}}',
    );
    expect(config).toMatchObject({ environmentName: 'prod', objectLockMode: 'COMPLIANCE', retentionYears: 7 });
  });

  it('refuses a retention shorter than the five years the rule requires', () => {
    expect(() => parseInfraConfig({ environmentName: 'dev', retentionYears: 3 })).toThrow(/retentionYears/);
  });

  it('names every problem at once', () => {
    const attempt = () =>
      parseInfraConfig({ environmentName: 'Prod!', objectLockMode: 'LEGAL', reviewerPrincipalArns: ['arn:aws:iam::123:root'], logRetentionDays: 42 });
    expect(attempt).toThrow(InfraConfigError);
    expect(attempt).toThrow(/environmentName.*objectLockMode.*reviewerPrincipalArns\.0.*logRetentionDays/);
  });

  it('takes a subset of the check thresholds and names a bad one by its path', () => {
    expect(parseInfraConfig({ environmentName: 'dev', identity: OWN_ISSUER, checkSettings: { history: { lookbackMonths: 6 } } }).checkSettings).toEqual({
      history: { lookbackMonths: 6 },
    });
    expect(() => parseInfraConfig({ environmentName: 'dev', checkSettings: { history: { lookbackMonths: 0 } } })).toThrow(
      /checkSettings\.history\.lookbackMonths/,
    );
  });

  it('accepts China-partition role and user ARNs', () => {
    const config = parseInfraConfig({
      environmentName: 'shandong',
      identity: OWN_ISSUER,
      reviewerPrincipalArns: ['arn:aws-cn:iam::123456789012:role/review/CityReviewer'],
      departmentPrincipalArns: ['arn:aws-cn:iam::123456789012:user/ShandongDEE'],
    });
    expect(config.reviewerPrincipalArns).toHaveLength(1);
  });

  it('reads the default identity from cdk.json: a Cognito user pool with the CLI loopback callback', () => {
    const { identity } = parseInfraConfig(cdkJsonContext().evidenceDeposit);
    expect(identity).toEqual({
      kind: 'cognito',
      cognito: { callbackUrls: ['http://localhost:8400/callback'], logoutUrls: [], featurePlan: 'PLUS' },
    });
  });

  it("takes the province's own issuer, audience and claim names", () => {
    const { identity } = parseInfraConfig({
      environmentName: 'dev',
      identity: { ...OWN_ISSUER, claims: { role: 'roles', roleValues: { reviewer: 'evidence-reviewers' } } },
    });
    expect(identity).toEqual({ kind: 'oidc', ...OWN_ISSUER, claims: { role: 'roles', roleValues: { reviewer: 'evidence-reviewers' } } });
  });

  it('refuses an identity that names both an own issuer and Cognito', () => {
    const both = () => parseInfraConfig({ environmentName: 'dev', identity: { ...OWN_ISSUER, cognito: { callbackUrls: ['http://localhost:8400/callback'] } } });
    expect(both).toThrow(InfraConfigError);
    expect(both).toThrow(/identity.*either issuer \+ audience.*or cognito.*not both/);
  });

  it('refuses a config that says nothing about who signs people in', () => {
    expect(() => parseInfraConfig({ environmentName: 'dev' })).toThrow(/identity/);
    expect(() => parseInfraConfig({ environmentName: 'dev', identity: {} })).toThrow(/say who signs people in/);
  });

  it('refuses an own provider without its audience, a plain-http issuer, and a bad claim name', () => {
    expect(() => parseInfraConfig({ environmentName: 'dev', identity: { issuer: OWN_ISSUER.issuer } })).toThrow(/identity\.audience/);
    expect(() => parseInfraConfig({ environmentName: 'dev', identity: { ...OWN_ISSUER, issuer: 'http://sso.example.gov.cn/realms/jiangxi' } })).toThrow(
      /identity\.issuer/,
    );
    expect(() => parseInfraConfig({ environmentName: 'dev', identity: { ...OWN_ISSUER, claims: { role: '' } } })).toThrow(/identity\.claims\.role/);
    expect(() => parseInfraConfig({ environmentName: 'dev', identity: { ...OWN_ISSUER, claims: { department: 'x' } } })).toThrow(/identity\.claims/);
  });

  it('refuses Cognito callbacks Cognito would refuse: plain http other than localhost', () => {
    const withCallback = (url: string) => () => parseInfraConfig({ environmentName: 'dev', identity: { cognito: { callbackUrls: [url] } } });
    expect(withCallback('http://127.0.0.1:8400/callback')).toThrow(/identity\.cognito\.callbackUrls\.0/);
    expect(withCallback('http://evidence.example.cn/callback')).toThrow(/callbackUrls/);
    expect(withCallback('https://evidence.example.cn/callback')).not.toThrow();
    expect(() => parseInfraConfig({ environmentName: 'dev', identity: { cognito: { callbackUrls: [] } } })).toThrow(/callbackUrls/);
  });

  it('takes the web origins allowed to call the people API from a browser, origins only', () => {
    expect(parseInfraConfig({ environmentName: 'dev', identity: OWN_ISSUER }).webOrigins).toEqual([]);
    expect(parseInfraConfig({ environmentName: 'dev', identity: OWN_ISSUER, webOrigins: ['https://evidence.example.cn'] }).webOrigins).toEqual([
      'https://evidence.example.cn',
    ]);
    expect(() => parseInfraConfig({ environmentName: 'dev', identity: OWN_ISSUER, webOrigins: ['https://evidence.example.cn/app'] })).toThrow(/webOrigins\.0/);
  });
});
