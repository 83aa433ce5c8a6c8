/** `cdk synth` / `cdk deploy` entry point (see cdk.json). */
import { buildApp } from './stack/app-builder.ts';

buildApp().app.synth();
