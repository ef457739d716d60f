// Starting and stopping the two servers under test as child processes on free loopback ports.
//
// - 'ywss': y-websocket's reference server (npm @y/websocket-server, bin src/server.js), run by
//   this same Node binary. HOST/PORT come from the environment; the room is the URL path; the
//   env YPERSISTENCE=<dir> turns on its LevelDB persistence (package y-leveldb).
// - 'samskriv': target/release/samskriv serve --listen 127.0.0.1:PORT --data-dir DIR --token-secret S
//   (the ws endpoint is /ws/<docId>?token=...; /healthz answers 200 when ready).
//
// Each server gets its own temp dir for storage and logs; destroy() removes it. Servers that are
// still running when the bench process exits are killed (see killAllServers).

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import net from 'node:net'
import http from 'node:http'
import crypto from 'node:crypto'
import { spawn, execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { sleep } from './util.mjs'
import { mintToken } from './token.mjs'

const require = createRequire(import.meta.url)
const YWSS_ENTRY = path.join(path.dirname(require.resolve('@y/websocket-server/package.json')), 'src/server.js')

export const SERVER_NAMES = { ywss: 'y-websocket', samskriv: 'samskriv' }

const live = new Set() // child processes not yet known to have exited

/** Kills every server child still running (used on exit, errors and the global timeout). */
export function killAllServers () {
  for (const child of live) {
    try { process.kill(child.pid, 'SIGKILL') } catch { /* already gone */ }
  }
  live.clear()
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort () {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** Whether the samskriv binary exists and looks like the real server (has a `serve` command). */
export function samskrivStatus (bin) {
  if (!fs.existsSync(bin)) return { ok: false, reason: `${bin} does not exist (build it with cargo build --release)` }
  try {
    const help = execFileSync(bin, ['--help'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] })
    if (!/\bserve\b/.test(help)) return { ok: false, reason: `${bin} --help lists no "serve" command (not built yet?)` }
  } catch (e) {
    return { ok: false, reason: `${bin} --help failed: ${e.message.split('\n')[0]}` }
  }
  return { ok: true }
}

/** GETs a loopback URL; resolves to the status code, or 0 on connection error. */
function httpStatus (url) {
  return new Promise(resolve => {
    const req = http.get(url, { timeout: 1000 }, res => { res.resume(); resolve(res.statusCode) })
    req.on('error', () => resolve(0))
    req.on('timeout', () => { req.destroy(); resolve(0) })
  })
}

/**
 * Creates a server controller. Nothing runs until start(). Options:
 *   persist: for ywss, enable LevelDB persistence (samskriv always persists to its data dir).
 */
export function createServer (kind, cfg, { persist = false } = {}) {
  if (kind !== 'ywss' && kind !== 'samskriv') throw new Error(`unknown server ${kind}`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${kind}-`))
  const dataDir = path.join(dir, 'data')
  fs.mkdirSync(dataDir)
  const logFile = path.join(dir, 'server.log')
  const secret = crypto.randomBytes(24).toString('hex')
  const srv = {
    kind,
    dir,
    dataDir,
    logFile,
    port: 0,
    child: null,
    get pid () { return this.child?.pid },
    /** Base URL for WebsocketProvider; the provider appends `/<docId>?<params>`. */
    get wsBase () {
      return kind === 'samskriv' ? `ws://127.0.0.1:${this.port}/ws` : `ws://127.0.0.1:${this.port}`
    },
    /** URL parameters a client of `docId` must send (the token; y-websocket ignores the query). */
    params (docId) {
      return kind === 'samskriv' ? { token: mintToken(secret, docId) } : {}
    },
    /** Full WebSocket URL for raw clients. */
    wsUrl (docId) {
      const q = new URLSearchParams(this.params(docId)).toString()
      return `${this.wsBase}/${docId}${q ? '?' + q : ''}`
    },
    /** Starts the server on a fresh free port and waits until it answers HTTP. Returns ms taken. */
    async start () {
      if (this.child) throw new Error('already running')
      this.port = await freePort()
      const log = fs.openSync(logFile, 'a')
      let cmd, args
      const env = { ...process.env }
      if (kind === 'ywss') {
        cmd = process.execPath
        args = [YWSS_ENTRY]
        Object.assign(env, { HOST: '127.0.0.1', PORT: String(this.port) })
        if (persist) env.YPERSISTENCE = dataDir
        else delete env.YPERSISTENCE
      } else {
        cmd = cfg.samskrivBin
        args = ['serve', '--listen', `127.0.0.1:${this.port}`, '--data-dir', dataDir, '--token-secret', secret]
      }
      const t0 = performance.now()
      const child = spawn(cmd, args, { env, stdio: ['ignore', log, log] })
      fs.closeSync(log)
      this.child = child
      live.add(child)
      child.exitInfo = null
      child.exited = new Promise(resolve => child.once('exit', (code, signal) => {
        live.delete(child)
        child.exitInfo = { code, signal }
        resolve(child.exitInfo)
      }))
      const healthUrl = `http://127.0.0.1:${this.port}${kind === 'samskriv' ? '/healthz' : '/'}`
      for (let i = 0; i < 3000; i++) { // up to ~30 s
        if (child.exitInfo) throw new Error(`${kind} exited during start: ${JSON.stringify(child.exitInfo)}\n${this.logTail()}`)
        if (await httpStatus(healthUrl) === 200) return performance.now() - t0
        await sleep(10)
      }
      throw new Error(`${kind} did not answer ${healthUrl} within 30 s\n${this.logTail()}`)
    },
    /** SIGTERM, then wait for exit (SIGKILL after timeoutMs). Returns { ms, forced, code, signal }. */
    async stop ({ timeoutMs = 30000 } = {}) {
      const child = this.child
      if (!child) return null
      this.child = null
      const t0 = performance.now()
      if (!child.exitInfo) child.kill('SIGTERM')
      let forced = false
      const timer = setTimeout(() => { forced = true; child.kill('SIGKILL') }, timeoutMs)
      const info = await child.exited
      clearTimeout(timer)
      return { ms: performance.now() - t0, forced, ...info }
    },
    /** Stops the server if needed and removes its temp dir (onLog receives the whole log first). */
    async destroy ({ onLog } = {}) {
      await this.stop()
      if (onLog) { try { onLog(fs.readFileSync(logFile, 'utf8')) } catch { /* no log */ } }
      fs.rmSync(dir, { recursive: true, force: true })
    },
    logTail (lines = 20) {
      try { return fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n') } catch { return '' }
    }
  }
  return srv
}
