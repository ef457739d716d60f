import { useCallback, useEffect, useRef } from 'preact/hooks'

/**
 * One load at a time, and none lost: a call while a load is running makes it run once more
 * when that one ends, with every note passed in the meantime. What the page shows is then never
 * older than the last call, and answers never arrive out of order.
 */
export function useSerialLoad(load: (notes: string[]) => Promise<unknown>): (note?: string) => void {
  const fn = useRef(load)
  fn.current = load
  const running = useRef(false)
  const pending = useRef<string[] | null>(null)
  const alive = useRef(true)

  useEffect(() => {
    alive.current = true
    return () => {
      alive.current = false
    }
  }, [])

  const run = useCallback((notes: string[]) => {
    running.current = true
    fn.current(notes)
      .catch(() => {})
      .finally(() => {
        running.current = false
        const next = pending.current
        pending.current = null
        if (next && alive.current) run(next)
      })
  }, [])

  return useCallback(
    (note?: string) => {
      const notes = note ? [note] : []
      if (running.current) pending.current = [...(pending.current ?? []), ...notes]
      else run(notes)
    },
    [run],
  )
}
