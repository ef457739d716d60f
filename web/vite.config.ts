import { defineConfig } from 'vite'

// During development, `npm run dev` proxies the API and the live documents to a running
// server (SAMSKRIV_URL, default http://127.0.0.1:8080). In production the server serves dist/.
const target = process.env.SAMSKRIV_URL ?? 'http://127.0.0.1:8080'

export default defineConfig({
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/ws': { target, ws: true, changeOrigin: false },
    },
  },
})
