import { describe, expect, it } from 'vitest';
import { InfraConfigError, parseInfraConfig } from '#infra/config.ts';
import { cdkJsonContext } from './build-stack.ts';

describe('infra config', () => {
  it('accepts the cdk.json context and fills the defaults', () => {
    const config = parseInfraConfig(cdkJsonContext().evidenceDeposit);
    expect(config).toMatchObject({ environmentName: 'dev', retentionYears: 5, objectLockMode: 'GOVERNANCE', deadlineRules: { days: 40 } });
  });

  it('reads a JSON string, which is how `cdk deploy -c evidenceDeposit=...` passes it', () => {
    const config = parseInfraConfig('{"environmentName":"prod","objectLockMode":"COMPLIANCE","retentionYears":7}');
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
    expect(parseInfraConfig({ environmentName: 'dev', checkSettings: { history: { lookbackMonths: 6 } } }).checkSettings).toEqual({
      history: { lookbackMonths: 6 },
    });
    expect(() => parseInfraConfig({ environmentName: 'dev', checkSettings: { history: { lookbackMonths: 0 } } })).toThrow(
      /checkSettings\.history\.lookbackMonths/,
    );
  });

  it('accepts China-partition role and user ARNs', () => {
    const config = parseInfraConfig({
      environmentName: 'shandong',
      reviewerPrincipalArns: ['arn:aws-cn:iam::123456789012:role/review/CityReviewer'],
      departmentPrincipalArns: ['arn:aws-cn:iam::123456789012:user/ShandongDEE'],
    });
    expect(config.reviewerPrincipalArns).toHaveLength(1);
  });
});
