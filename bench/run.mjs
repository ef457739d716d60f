#!/usr/bin/env node
// Benchmark driver: runs the scenarios against Samskriv and y-websocket's reference server
// (@y/websocket-server) in one run, repeats each `runs` times (servers interleaved within a run),
// and prints medians with the ratio samskriv / y-websocket; writes bench/results.json.
//
//   node bench/run.mjs [--quick] [--runs N] [--server ywss|samskriv|both] [--scenario b4,fanout,...]
//
// Every scenario starts its own fresh server process (temp storage) and stops it at the end.

import os from 'node:os'
import fs from 'node:fs'
import crypto from 'node:crypto'
import path from 'node:path'
import { parseArgs } from './lib/config.mjs'
import { createServer, samskrivStatus, killAllServers, SERVER_NAMES } from './lib/servers.mjs'
import { SCENARIOS } from './lib/scenarios/index.mjs'
import { summarize, printTable, writeResults } from './lib/report.mjs'
import { CLK_TCK, otherLoadMeter, waitQuiet } from './lib/proc.mjs'

const cfg = parseArgs(process.argv.slice(2))

// Never leave server processes behind.
process.on('exit', killAllServers)
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { killAllServers(); process.exit(130) })
const watchdog = setTimeout(() => {
  console.error(`bench: exceeded the total limit of ${cfg.totalTimeoutMin} min, aborting`)
  killAllServers()
  process.exit(3)
}, cfg.totalTimeoutMin * 60000)
watchdog.unref()

const skipped = {}
if (cfg.servers.includes('samskriv')) {
  const st = samskrivStatus(cfg.samskrivBin)
  if (!st.ok) {
    console.error(`bench: samskriv skipped: ${st.reason}`)
    skipped.samskriv = st.reason
  }
}
const servers = cfg.servers.filter(s => !skipped[s])
if (servers.includes('samskriv')) {
  // Which build was measured (the binary may be rebuilt between runs of the bench).
  const st = fs.statSync(cfg.samskrivBin)
  const sha256 = crypto.createHash('sha256').update(fs.readFileSync(cfg.samskrivBin)).digest('hex')
  cfg.samskrivBuild = { mtime: st.mtime.toISOString(), bytes: st.size, sha256 }
}
if (servers.length === 0) { console.error('bench: no server to run'); process.exit(1) }

console.log(`bench: servers ${servers.map(s => SERVER_NAMES[s]).join(', ')}; scenarios ${cfg.scenarios.join(', ')}; ${cfg.runs} run(s); ` +
  `${os.cpus().length} CPUs, node ${process.version}, CLK_TCK ${CLK_TCK}`)

const raw = {} // raw[scenario][server] = [ { metrics, info, load } | { error, load } ]
let failures = 0
for (const name of cfg.scenarios) {
  raw[name] = {}
  for (let run = 1; run <= cfg.runs; run++) {
    // Alternate which server goes first, so slow drift of the machine favours neither.
    const order = run % 2 ? servers : servers.slice().reverse()
    for (const kind of order) {
      const result = await runWithRetries(name, kind, `${name} run ${run}/${cfg.runs} ${SERVER_NAMES[kind]}`)
      if (result.error) failures++
      ;(raw[name][kind] ??= []).push(result)
    }
  }
}

const summary = summarize(raw, cfg)
printTable(summary, skipped)
const disturbed = Object.values(raw).flatMap(byServer => Object.values(byServer).flat()).filter(r => r.load?.disturbed).length
if (disturbed) console.log(`WARNING: ${disturbed} run(s) ran while other processes used more than ${cfg.quiet.cores} cores (see load in the results)`)
writeResults(cfg, raw, summary, skipped)
console.log(`results written to ${cfg.out}`)
process.exit(failures ? 1 : 0)

/**
 * One run of a scenario on a fresh server, after waiting for a quiet machine; repeated (at most
 * cfg.quiet.retries times) when other processes used more than cfg.quiet.cores meanwhile.
 */
async function runWithRetries (name, kind, label) {
  const scenario = SCENARIOS[name]
  let result
  for (let attempt = 1; attempt <= 1 + cfg.quiet.retries; attempt++) {
    const quiet = await waitQuiet(cfg.quiet)
    const load = otherLoadMeter()
    load.start()
    const server = createServer(kind, cfg, { persist: scenario.ywssPersistence || cfg.ywssPersistAll })
    const t0 = Date.now()
    try {
      await server.start()
      result = await scenario.run(server, cfg)
    } catch (e) {
      result = { error: e.message.split('\n')[0] }
      console.error(`  ${label}: FAILED: ${e.message}\n${server.logTail(10)}`)
    } finally {
      await server.destroy({ onLog: (log) => reportLog(label, log, cfg.keepLogs) })
    }
    const otherCores = load.stop()
    result.load = { other_cores: +otherCores.toFixed(3), waited_quiet_s: quiet.waitedSec, attempt, disturbed: otherCores > cfg.quiet.cores }
    const note = result.load.disturbed ? `  DISTURBED: other processes used ${otherCores.toFixed(2)} cores` : ''
    if (!result.error) {
      const m = Object.entries(result.metrics).map(([k, v]) => `${k}=${fmt(v)}`).join(' ')
      console.log(`  ${label}: ${m}  (${((Date.now() - t0) / 1000).toFixed(1)} s)${note}`)
    }
    if (result.error || !result.load.disturbed) break
  }
  return result
}

/** Prints the warnings and errors a server logged during a scenario (they may explain a figure). */
function reportLog (label, log, keepDir) {
  if (keepDir) {
    fs.mkdirSync(keepDir, { recursive: true })
    fs.writeFileSync(path.join(keepDir, label.replace(/[^\w.-]+/g, '_') + '.log'), log)
  }
  // eslint-disable-next-line no-control-regex
  const plain = log.replace(/\x1b\[[0-9;]*m/g, '')
  const bad = plain.split('\n').filter(l => /\b(WARN|ERROR|warn|error|Error|panicked)\b/.test(l))
  const shown = bad.slice(0, 2).map(l => l.length > 240 ? l.slice(0, 240) + '…' : l)
  if (bad.length) console.log(`  ${label}: server logged ${bad.length} warning/error line(s), e.g.:\n    ${shown.join('\n    ')}`)
}

function fmt (v) { return typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : String(v) }
