import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into dist/dashboard, which the gateway serves at `/` (src/server/dashboard-route.ts).
export default defineConfig({
  root: __dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: true,
    // No inline scripts or module-preload polyfill: the page's CSP allows its own files only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
