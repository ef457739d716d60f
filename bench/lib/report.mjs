// Turning raw per-run results into medians, ratios and target checks; printing and saving them.

import fs from 'node:fs'
import os from 'node:os'
import { createRequire } from 'node:module'
import { SCENARIOS } from './scenarios/index.mjs'
import { median } from './util.mjs'
import { CLK_TCK } from './proc.mjs'

const require = createRequire(import.meta.url)
const version = (pkg) => { try { return require(`${pkg}/package.json`).version } catch { return null } }

/** Median of each metric per server, the ratio samskriv / ywss, and Samskriv's target check. */
export function summarize (raw, cfg) {
  const rows = []
  for (const [name, byServer] of Object.entries(raw)) {
    const sc = SCENARIOS[name]
    for (const [metric, desc] of Object.entries(sc.metrics)) {
      const med = {}
      const n = {}
      for (const [kind, runs] of Object.entries(byServer)) {
        const ok = runs.filter(r => !r.error)
        n[kind] = ok.length
        med[kind] = median(ok.map(r => r.metrics[metric]))
      }
      const y = med.ywss
      const s = med.samskriv
      const ratio = (y != null && s != null && y !== 0) ? s / y : null
      let target = null
      let pass = null
      if (desc.target === 'ywss') {
        target = '< y-websocket'
        if (s != null && y != null) pass = s < y
      } else if (typeof desc.target === 'number') {
        target = `<= ${desc.target}`
        if (s != null) pass = s <= desc.target
      }
      rows.push({ scenario: name, title: sc.title, metric, label: desc.label, unit: desc.unit, ywss: y ?? null, samskriv: s ?? null, ratio, target, pass, runs: n })
    }
  }
  return rows
}

const num = (v) => v == null ? '—' : (Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(3))

export function printTable (rows, skipped = {}) {
  const head = ['scenario', 'figure', 'unit', 'y-websocket', 'samskriv', 'ratio s/y', 'target', 'ok']
  const body = rows.map(r => [
    r.title, r.label, r.unit, num(r.ywss),
    r.samskriv == null && skipped.samskriv ? 'pending' : num(r.samskriv),
    r.ratio == null ? '—' : r.ratio.toFixed(2),
    r.target ?? '', r.pass == null ? '' : (r.pass ? 'yes' : 'NO')
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map(b => String(b[i]).length)))
  const line = (cells) => cells.map((c, i) => (i >= 3 && i <= 5 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ')
  console.log('\nMedians' + (rows[0] ? ` over ${Math.max(...rows.flatMap(r => Object.values(r.runs)))} run(s)` : '') + ':')
  console.log(line(head))
  console.log(widths.map(w => '-'.repeat(w)).join('  '))
  for (const b of body) console.log(line(b))
  if (skipped.samskriv) console.log(`(samskriv pending: ${skipped.samskriv})`)
}

export function writeResults (cfg, raw, rows, skipped) {
  const out = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model, mem_gib: +(os.totalmem() / 2 ** 30).toFixed(1), kernel: os.release(), node: process.version, clk_tck: CLK_TCK },
    versions: { '@y/websocket-server': version('@y/websocket-server'), 'y-leveldb': version('y-leveldb'), 'y-websocket': version('y-websocket'), yjs: version('yjs') },
    config: cfg,
    skipped,
    summary: rows,
    runs: raw
  }
  fs.writeFileSync(cfg.out, JSON.stringify(out, null, 2) + '\n')
}

/** The summary as a Markdown table (for docs/benchmarks.md). */
export function markdownTable (rows, skipped = {}) {
  const out = ['| scenario | figure | y-websocket | samskriv | samskriv / y-websocket | target | met |', '| --- | --- | ---: | ---: | ---: | --- | --- |']
  for (const r of rows) {
    const u = r.unit ? ` ${r.unit}` : ''
    const s = r.samskriv == null ? (skipped.samskriv ? 'pending' : '—') : num(r.samskriv) + u
    out.push(`| ${r.title} | ${r.label.replace('->', '→')} | ${r.ywss == null ? '—' : num(r.ywss) + u} | ${s} | ${r.ratio == null ? '—' : r.ratio.toFixed(2)} | ${r.target ? r.target.replace('<=', '≤') + (typeof SCENARIOS[r.scenario].metrics[r.metric].target === 'number' ? u : '') : ''} | ${r.pass == null ? '' : r.pass ? 'yes' : 'no'} |`)
  }
  return out.join('\n')
}
