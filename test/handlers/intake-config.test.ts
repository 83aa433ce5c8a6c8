/** validate-deposit's configuration: CHECK_SETTINGS is optional, and a bad one fails the cold start by name. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHECK_SETTINGS } from '#domain/check-settings.ts';
import { ConfigError, IntakeConfigSchema, loadConfig } from '#lambda/config.ts';

const base = {
  DEPOSIT_BUCKET: 'deposits',
  DEPOSITS_TABLE: 'd',
  ATTEMPTS_TABLE: 'a',
  REGISTRY_TABLE: 'r',
  REVIEW_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/1/review',
};

describe('CHECK_SETTINGS', () => {
  it('gives the defaults when unset or empty', () => {
    expect(loadConfig(IntakeConfigSchema, base).CHECK_SETTINGS).toEqual(DEFAULT_CHECK_SETTINGS);
    expect(loadConfig(IntakeConfigSchema, { ...base, CHECK_SETTINGS: ' ' }).CHECK_SETTINGS).toEqual(DEFAULT_CHECK_SETTINGS);
  });

  it('merges a subset over the defaults', () => {
    const settings = loadConfig(IntakeConfigSchema, { ...base, CHECK_SETTINGS: '{"evidence":{"maxFiles":20}}' }).CHECK_SETTINGS;
    expect(settings.evidence).toEqual({ ...DEFAULT_CHECK_SETTINGS.evidence, maxFiles: 20 });
    expect(settings.history).toEqual(DEFAULT_CHECK_SETTINGS.history);
  });

  it('refuses text that is not JSON, and thresholds out of bounds, naming the variable and the path', () => {
    expect(() => loadConfig(IntakeConfigSchema, { ...base, CHECK_SETTINGS: '{history:' })).toThrow(ConfigError);
    expect(() => loadConfig(IntakeConfigSchema, { ...base, CHECK_SETTINGS: '{history:' })).toThrow(/CHECK_SETTINGS is not JSON/);
    expect(() => loadConfig(IntakeConfigSchema, { ...base, CHECK_SETTINGS: '{"history":{"lookbackMonths":0}}' })).toThrow(
      /CHECK_SETTINGS has invalid thresholds — history\.lookbackMonths/,
    );
  });
});
