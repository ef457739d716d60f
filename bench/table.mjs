#!/usr/bin/env node
// Prints the summary of one or more results files (bench/results.json by default) as a Markdown
// table, for docs/benchmarks.md. With several files, later files' scenarios replace earlier ones.
//   node bench/table.mjs [results.json ...]

import fs from 'node:fs'
import path from 'node:path'
import { BENCH_DIR } from './lib/config.mjs'
import { markdownTable } from './lib/report.mjs'

const files = process.argv.slice(2)
if (files.length === 0) files.push(path.join(BENCH_DIR, 'results.json'))
let rows = []
let skipped = {}
for (const f of files) {
  const r = JSON.parse(fs.readFileSync(f, 'utf8'))
  const scenarios = new Set(r.summary.map(x => x.scenario))
  rows = rows.filter(x => !scenarios.has(x.scenario)).concat(r.summary)
  skipped = { ...skipped, ...r.skipped }
}
console.log(markdownTable(rows, skipped))
