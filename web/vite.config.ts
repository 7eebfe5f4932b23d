/**
 * The dashboards' build. `npm run build:web` writes dist/web, which the node serves at `/`;
 * `npm run dev:web` serves the pages with hot reload and sends API calls to a running node
 * (BLOCKYARD_NODE, default http://127.0.0.1:5000).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const node = process.env.BLOCKYARD_NODE ?? 'http://127.0.0.1:5000';
const nodeRoutes = ['/api', '/chain', '/mine', '/nodes', '/transactions', '/docs'];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    host: '127.0.0.1',
    proxy: Object.fromEntries(nodeRoutes.map((route) => [route, { target: node }])),
  },
});
