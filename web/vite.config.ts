import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into web/dist, which the Fastify server serves at `/`. `npm run dev` proxies the API to it.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/openapi.json': 'http://127.0.0.1:3000' } },
});
