import { defineConfig } from 'vitest/config';

const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' };

/**
 * Two projects, so the split is visible and a unit test never waits for a JVM:
 * - `unit`: domain, use cases with fake ports, handlers and adapters with mocked clients, the CDK
 *   stack. No emulator; files run in parallel; seconds.
 * - `twin`: integration, browser and resilience tests. The integration and browser files share one
 *   local twin (globalSetup) and run one at a time, since they share its queues; the resilience
 *   file starts twins of its own.
 * `npm test` runs both; `npx vitest run --project unit` runs the fast half alone.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'test/domain/**/*.test.ts',
            'test/app/**/*.test.ts',
            'test/handlers/**/*.test.ts',
            'test/adapters/**/*.test.ts',
            'test/cli/**/*.test.ts',
            'test/corpus/**/*.test.ts',
            'test/infra/**/*.test.ts',
            'test/architecture/**/*.test.ts',
          ],
          setupFiles: ['test/support/setup.ts'],
          // One synthesis of the default stack for the CDK assertion files (test/support/global-synth.ts).
          globalSetup: ['test/support/global-synth.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          env,
        },
      },
      {
        test: {
          name: 'twin',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/resilience/**/*.test.ts'],
          // One local twin for the project (emulators + in-process handlers); tests reach it by endpoint.
          globalSetup: ['test/support/global-twin.ts'],
          // Files share the twin's queues; one at a time keeps one file's messages out of another's way.
          fileParallelism: false,
          setupFiles: ['test/support/setup.ts', 'test/support/setup-twin.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          env,
        },
      },
    ],
  },
});
