import { defineConfig } from 'vitest/config';

// Resilience runs start their own twin with fault injection; no shared twin is needed.
export default defineConfig({
  test: {
    include: ['test/resilience/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
