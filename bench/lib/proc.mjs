// Reading a server process's CPU time and memory from /proc (Linux only).
//
// CPU: utime + stime (fields 14 and 15 of /proc/<pid>/stat), in clock ticks of `getconf CLK_TCK`.
// For the thread-group leader these fields cover all threads of the process, so a multi-threaded
// server (tokio) is counted in full. Memory: VmRSS from /proc/<pid>/status, in KiB.

import fs from 'node:fs'
import { execFileSync } from 'node:child_process'
import { sleep } from './util.mjs'

export const CLK_TCK = (() => {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    if (Number.isInteger(n) && n > 0) return n
  } catch { /* fall through */ }
  return 100
})()

/** CPU time consumed so far by a process, in clock ticks: { user, sys }. */
export function cpuTimes (pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may contain spaces; fields after it start past the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // rest[0] is field 3 (state), so field N is rest[N - 3].
  return { user: Number(rest[14 - 3]), sys: Number(rest[15 - 3]) }
}

/** Server CPU time (user + system) consumed so far, in clock ticks. */
export function cpuTicks (pid) {
  const t = cpuTimes(pid)
  return t.user + t.sys
}

/**
 * CPU ticks of this bench process (all threads) plus those of its children that have exited and
 * been reaped (cutime + cstime: the servers once stopped).
 */
export function selfAndChildrenTicks () {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8')
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return [14, 15, 16, 17].reduce((sum, field) => sum + Number(rest[field - 3]), 0)
}

/**
 * Meters the CPU used by everything else on the machine (neither this process nor its reaped
 * children) between start() and stop(), in cores (a busy build beside the bench shows here).
 * Start it before a server is spawned and stop it after the server was stopped and reaped.
 */
export function otherLoadMeter () {
  let m0, s0, t0
  return {
    start () { m0 = machineBusyTicks(); s0 = selfAndChildrenTicks(); t0 = performance.now() },
    stop () {
      const other = (machineBusyTicks() - m0) - (selfAndChildrenTicks() - s0)
      return Math.max(0, ticksToUs(other) / 1e6) / ((performance.now() - t0) / 1000)
    }
  }
}

/**
 * Waits until other work on the machine uses less than `cores` (measured over 3 s windows), for at
 * most `maxWaitSec`. Returns { waitedSec, quiet }; the bench runs anyway when it stays busy.
 */
export async function waitQuiet ({ cores = 0.2, maxWaitSec = 600 } = {}) {
  const t0 = Date.now()
  for (let i = 0; i < 10000; i++) {
    const m = otherLoadMeter()
    m.start()
    await sleep(3000)
    if (m.stop() < cores) return { waitedSec: (Date.now() - t0) / 1000, quiet: true }
    if (Date.now() - t0 > maxWaitSec * 1000) break
    if (i === 0) console.log(`  (waiting for the machine to become quiet, at most ${maxWaitSec} s)`)
  }
  return { waitedSec: (Date.now() - t0) / 1000, quiet: false }
}

/** Converts a tick delta to microseconds. */
export const ticksToUs = (ticks) => ticks * 1e6 / CLK_TCK

/** Resident set size in KiB (VmRSS). */
export function rssKiB (pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
  if (!m) throw new Error(`no VmRSS for pid ${pid}`)
  return Number(m[1])
}

/** Busy CPU time of the whole machine (all CPUs, /proc/stat), in clock ticks. */
export function machineBusyTicks () {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait
  return f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] || 0)
}

/**
 * A CPU meter over a measured phase: start() then stop() gives the server's tick delta and µs,
 * and the CPU used by everything else on the machine (neither the server nor this bench process)
 * in the same phase, so a run disturbed by other work can be recognised (info.other_cpu_s).
 */
export function cpuMeter (pid) {
  let t0 = null
  let m0 = null
  let b0 = null
  return {
    start () { t0 = cpuTimes(pid); m0 = machineBusyTicks(); b0 = cpuTicks(process.pid) },
    stop () {
      const t1 = cpuTimes(pid)
      const ticks = (t1.user + t1.sys) - (t0.user + t0.sys)
      const bench = cpuTicks(process.pid) - b0
      const other = machineBusyTicks() - m0 - ticks - bench
      return {
        ticks,
        us: ticksToUs(ticks),
        sysShare: ticks > 0 ? (t1.sys - t0.sys) / ticks : 0, // share of the server's CPU spent in the kernel
        benchS: ticksToUs(bench) / 1e6,
        otherS: Math.max(0, ticksToUs(other) / 1e6)
      }
    }
  }
}

/**
 * Waits until the process is idle: at most `maxTicks` ticks of CPU in a window of `quietMs`.
 * Used to let a server finish background work (e.g. y-leveldb's write queue) before we go on.
 * Returns the time waited in ms; throws after `timeoutMs`.
 */
export async function waitIdle (pid, { quietMs = 1000, maxTicks = 2, timeoutMs = 120000 } = {}) {
  const t0 = Date.now()
  const stepMs = 100
  const window = [] // [time, ticks] samples covering the last quietMs
  while (Date.now() - t0 < timeoutMs) {
    window.push([Date.now(), cpuTicks(pid)])
    while (window.length > 1 && window[window.length - 1][0] - window[1][0] >= quietMs) window.shift()
    const [first, last] = [window[0], window[window.length - 1]]
    if (last[0] - first[0] >= quietMs && last[1] - first[1] <= maxTicks) return Date.now() - t0
    await sleep(stepMs)
  }
  throw new Error(`process ${pid} did not become idle within ${timeoutMs} ms`)
}
