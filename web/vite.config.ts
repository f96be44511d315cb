import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` proxies the API to a hub on :8800 (HUB_URL to change it); `npm run build` writes dist/.
const hub = process.env.HUB_URL ?? 'http://127.0.0.1:8800';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022', modulePreload: { polyfill: false } },
  server: { proxy: { '/api': hub, '/.well-known': hub, '/health': hub } },
});
