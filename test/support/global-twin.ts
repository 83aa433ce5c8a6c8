/**
 * Starts one local twin for the whole test run and hands its endpoints to the test files.
 * The twin's handlers run here, in the main process; tests talk to it over the wire.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { type Endpoints, scratchDir } from '#twin/emulators.ts';
import type { TwinResources } from '#twin/provision.ts';
import { LocalTwin } from '#twin/twin.ts';

export interface TwinHandle {
  readonly endpoints: Endpoints;
  readonly resources: TwinResources;
  /** The twin's HTTP API and dashboard. */
  readonly apiUrl: string;
  /** The twin's OpenID provider (test/support/sign-in.ts signs in there). */
  readonly issuer: string;
  /** The audience the twin's API accepts. */
  readonly audience: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    twin: TwinHandle;
  }
}

export default async function setup(project: TestProject) {
  // The twin serves the web app as `npm start` builds it, from this run's own folder: another run's
  // build (which empties its folder first) never pulls a page's chunks away mid-test.
  const webDir = scratchDir('evidence-web-');
  await build({
    configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)),
    logLevel: 'error',
    build: { outDir: webDir, emptyOutDir: true },
  });
  process.env.EVIDENCE_WEB_DIR = webDir;
  const dataDir = scratchDir('evidence-twin-');
  const twin = await LocalTwin.start({ dataDir, retryDelaySeconds: 1 });
  project.provide('twin', {
    endpoints: twin.endpoints,
    resources: twin.resources,
    apiUrl: twin.apiUrl,
    issuer: twin.identity.issuer,
    audience: twin.identity.audience,
  });
  return async () => {
    await twin.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(webDir, { recursive: true, force: true });
  };
}
