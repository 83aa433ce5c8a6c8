/**
 * Builds the app exactly as `cdk synth` does (config, stack, cdk-nag), so the assertion tests
 * check the same tree that deploys.
 */
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadInfraConfig } from '../config.ts';
import { EvidenceDepositStack } from './evidence-deposit-stack.ts';

export interface BuiltApp {
  readonly app: App;
  readonly stack: EvidenceDepositStack;
  readonly nag: AwsSolutionsChecks;
}

export function buildApp(props: AppProps = {}): BuiltApp {
  const app = new App(props);
  const config = loadInfraConfig(app);
  const stack = new EvidenceDepositStack(app, `EvidenceDeposit-${config.environmentName}`, {
    config,
    description: `Monthly evidence deposit pipeline (${config.environmentName})`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  // cdk-nag 3 is a CDK policy-validation plugin (not an Aspect): it runs after synthesis and an
  // unacknowledged error-level finding stops `cdk synth`.
  const nag = new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true });
  Validations.of(app).addPlugins(nag);
  return { app, stack, nag };
}
