import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One local twin for the whole run (emulators + in-process handlers); tests reach it by endpoint.
    globalSetup: ['test/support/global-twin.ts'],
    // Files share the twin's queues; one at a time keeps one file's messages out of another's way.
    fileParallelism: false,
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
