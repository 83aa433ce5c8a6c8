/**
 * The web app's build: static files in web/dist (served by the twin at its address, and in the
 * cloud from the site bucket behind CloudFront). Each area (portal, workbench, dashboard) is its
 * own chunk, loaded after sign-in for the person's role; rare parsers (XLSX) and the PDF viewer
 * load on first use. The domain code the pipeline runs is imported as it is (#domain/*), so the
 * browser's pre-check is the pipeline's.
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const shared = (path: string) => fileURLToPath(new URL(`../shared/${path}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [preact()],
  resolve: {
    alias: [
      { find: /^#domain\/(.*)$/, replacement: `${shared('domain')}/$1` },
      { find: /^#resources\/(.*)$/, replacement: `${shared('resources')}/$1` },
      // The portal's pre-check runs the domain's ZIP safety pass and GB18030 decoding in the browser (web/src/portal/shims/).
      { find: /^yauzl$/, replacement: fileURLToPath(new URL('src/portal/shims/yauzl.ts', import.meta.url)) },
      { find: /^iconv-lite$/, replacement: fileURLToPath(new URL('src/portal/shims/iconv-lite.ts', import.meta.url)) },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022', reportCompressedSize: false },
  logLevel: 'warn',
});
