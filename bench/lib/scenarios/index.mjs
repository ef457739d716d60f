// The scenario registry: name -> { title, run(server, cfg), metric descriptions, targets }.
// `lower: true` means a lower figure is better. `target` is Samskriv's goal: a number (must be <=)
// or 'ywss' (must be lower than y-websocket's figure).

import { runB4 } from './b4.mjs'
import { runFanout } from './fanout.mjs'
import { runMemory } from './memory.mjs'
import { runColdLoad } from './coldload.mjs'

export const SCENARIOS = {
  b4: {
    title: 'B4 replay',
    run: runB4,
    metrics: {
      wall_s: { unit: 's', label: 'wall time' },
      server_cpu_s: { unit: 's', label: 'server CPU' },
      cpu_us_per_update: { unit: 'µs', label: 'server CPU / update', target: 5 }
    }
  },
  fanout: {
    title: 'fan-out',
    run: runFanout,
    metrics: {
      cpu_us_per_delivered: { unit: 'µs', label: 'server CPU / delivered update', target: 3.5 },
      latency_p50_ms: { unit: 'ms', label: 'delivery latency p50', target: 'ywss' },
      latency_p99_ms: { unit: 'ms', label: 'delivery latency p99', target: 'ywss' },
      delivered_ratio: { unit: '', label: 'delivered / expected', higher: true }
    }
  },
  memory: {
    title: 'memory',
    run: runMemory,
    metrics: {
      kib_per_doc: { unit: 'KiB', label: 'server RSS / open document', target: 18 },
      rss_idle_mib: { unit: 'MiB', label: 'server RSS idle' },
      rss_loaded_mib: { unit: 'MiB', label: 'server RSS loaded' }
    }
  },
  coldload: {
    title: 'cold load',
    run: runColdLoad,
    ywssPersistence: true,
    metrics: {
      load_ms: { unit: 'ms', label: 'connect -> complete state', target: 13 },
      state_arrived_ms: { unit: 'ms', label: 'connect -> state received (before client apply)' },
      build_s: { unit: 's', label: 'build history (setup)' },
      restart_ms: { unit: 'ms', label: 'restart until ready' }
    }
  }
}
