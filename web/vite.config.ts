import { defineConfig, type ProxyOptions } from 'vite'

// During development, `npm run dev` proxies the API and the live documents to a running
// server (SAMSKRIV_URL, default http://127.0.0.1:8080). In production the server serves dist/.
const target = process.env.SAMSKRIV_URL ?? 'http://127.0.0.1:8080'

// The server accepts browser WebSockets and state-changing requests only from its own origin:
// present the proxied requests as coming from it.
const sameOrigin: ProxyOptions = {
  target,
  changeOrigin: true,
  configure: (proxy) => {
    proxy.on('proxyReq', (req) => {
      if (req.getHeader('origin')) req.setHeader('origin', target)
    })
    proxy.on('proxyReqWs', (req) => {
      req.setHeader('origin', target)
    })
  },
}

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
      '/api': sameOrigin,
      '/ws': { ...sameOrigin, ws: true },
    },
  },
})
