import react from '@vitejs/plugin-react';
import path from 'node:path';
import { defineConfig } from 'vite';

// The renderer is built to dist/renderer and served by Haul's own server (haul serve, the
// desktop app). Relative asset URLs let the same build load from http:// or a custom protocol.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(import.meta.dirname, '../dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
  },
});
