// A small client-side router: paths map to pages (routes.ts), links and navigate() use the
// History API, and the server answers every non-API path with index.html.
import { useEffect, useState } from 'preact/hooks'

type Listener = () => void
const listeners = new Set<Listener>()
let navigatedInApp = false

function notify() {
  for (const l of listeners) l()
}

window.addEventListener('popstate', () => {
  navigatedInApp = true
  notify()
})

export function currentPath(): string {
  return window.location.pathname
}

/** Whether the current page was reached by navigating inside the app (then focus moves to it). */
export function wasNavigatedInApp(): boolean {
  return navigatedInApp
}

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  const here = window.location.pathname + window.location.search
  if (to === here) return
  navigatedInApp = true
  if (opts.replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  window.scrollTo(0, 0)
  notify()
}

/** The current location; re-renders on every navigation. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const [, setTick] = useState(0)
  useEffect(() => {
    const l = () => setTick((t) => t + 1)
    listeners.add(l)
    return () => {
      listeners.delete(l)
    }
  }, [])
  return { path: window.location.pathname, search: new URLSearchParams(window.location.search) }
}

export interface Route<P> {
  pattern: string // "/hoeringer/:id"
  page: P
}

/** Matches a path against "/a/:b" patterns; returns the page and its parameters. */
export function match<P>(
  routes: Route<P>[],
  path: string,
): { page: P; params: Record<string, string> } | null {
  const parts = path.replace(/\/+$/, '').split('/')
  for (const r of routes) {
    const pp = r.pattern.replace(/\/+$/, '').split('/')
    if (pp.length !== parts.length) continue
    const params: Record<string, string> = {}
    let ok = true
    for (let i = 0; i < pp.length; i++) {
      if (pp[i].startsWith(':')) params[pp[i].slice(1)] = decodeURIComponent(parts[i])
      else if (pp[i] !== parts[i]) {
        ok = false
        break
      }
    }
    if (ok) return { page: r.page, params }
  }
  return null
}

/** Click handler for in-app links: plain left clicks navigate without a reload. */
export function onLinkClick(e: MouseEvent) {
  const a = e.currentTarget as HTMLAnchorElement
  if (
    e.defaultPrevented ||
    e.button !== 0 ||
    e.metaKey ||
    e.ctrlKey ||
    e.shiftKey ||
    e.altKey ||
    a.target ||
    a.hasAttribute('download') ||
    a.origin !== window.location.origin
  )
    return
  e.preventDefault()
  navigate(a.pathname + a.search + a.hash)
}
