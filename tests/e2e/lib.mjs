// Shared helpers for the browser tests: Debian's Chromium through playwright-core, demo logins,
// axe-core, and keyboard navigation. The server's address comes from SAMSKRIV_URL.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)

export const BASE = process.env.SAMSKRIV_URL ?? 'http://127.0.0.1:8080'
export const PASSWORD = 'demo1234'
/** The demo's hearings (server/demo.rs): the open one the LMUs write to (SBU has begun), the
 *  seeds' hearing whose nine submitted responses the HMU chairs consolidate, and a draft. */
export const OPEN_HEARING = 'Input til ny psykiatriplan for Region Midtjylland'
export const CONSOLIDATING_HEARING = 'Visions- og Udviklingsplan for Socialområdet'
export const DRAFT_HEARING = 'Arbejdsmiljøindsatsen 2026-2030'
/** Generous: two cores are shared with builds; every wait is for a condition, never a sleep. */
export const TIMEOUT = Number(process.env.SAMSKRIV_E2E_TIMEOUT ?? 20000)

export const demo = {
  secretariat: 'sekretariat@demo.samskriv.dk',
  hmuChair: 'formand@demo.samskriv.dk',
  chair: (lmu) => `${lmu}.formand@demo.samskriv.dk`,
  member: (lmu, n) => `${lmu}.medlem${n}@demo.samskriv.dk`,
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ARGS,
    timeout: 60000,
  })
}

/** A fresh browser context (its own cookies) whose pages report console errors to stderr. */
export async function newContext(browser, label) {
  const ctx = await browser.newContext({ baseURL: BASE, locale: 'da-DK', timezoneId: 'Europe/Copenhagen' })
  ctx.setDefaultTimeout(TIMEOUT)
  ctx.on('page', (page) => watch(page, label))
  return ctx
}

function watch(page, label) {
  page.on('pageerror', (e) => console.error(`[${label}] page error: ${e.message}`))
  page.on('console', (m) => {
    // HTTP errors are the tests' business (they assert statuses); other console output is shown.
    if (m.text().startsWith('Failed to load resource')) return
    if (m.type() === 'error' || m.type() === 'warning') console.error(`[${label}] console ${m.type()}: ${m.text()}`)
  })
}

/** Logs in through the login form; returns the page on "Mine høringer". */
export async function login(ctx, email, password = PASSWORD) {
  const page = await ctx.newPage()
  await page.goto('/logind')
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Adgangskode').fill(password)
  await page.getByRole('button', { name: 'Log ind' }).click()
  await page.getByRole('heading', { level: 1, name: 'Mine høringer' }).waitFor()
  return page
}

/** The logged-in user, from GET /api/session in the page (its cookie). */
export async function sessionOf(page) {
  return page.evaluate(async () => (await fetch('/api/session')).json())
}

/** Calls the API from inside the page, with the session cookie and CSRF token. */
export async function apiFetch(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const s = await (await fetch('/api/session')).json()
      const res = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token ?? '' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      let json = null
      try {
        json = JSON.parse(text)
      } catch {}
      return { status: res.status, json, text }
    },
    { method, path, body },
  )
}

/** A demo hearing (by default the open one), as the page's user sees it in "Mine høringer". */
export async function demoHearing(page, title = OPEN_HEARING) {
  const r = await apiFetch(page, 'GET', '/api/hearings')
  assert.equal(r.status, 200, r.text)
  const h = r.json.find((x) => x.title === title)
  assert.ok(h, `the demo hearing "${title}" is among ${r.json.map((x) => x.title).join(', ')}`)
  return h
}

/** Opens the user's own LMU response to the open demo hearing through the UI: Mine høringer → link. */
export async function openOwnResponse(page, title = OPEN_HEARING) {
  await page.goto('/')
  const card = page.locator('.card', { has: page.getByRole('heading', { name: title }) })
  await card.getByRole('link', { name: /^Høringssvar fra / }).click()
  await page.getByRole('heading', { level: 1, name: /^Høringssvar fra / }).waitFor()
  await editorReady(page)
  return Number(new URL(page.url()).pathname.split('/').pop())
}

/** Waits until the editor is connected and has the server's content. */
export async function editorReady(page) {
  await page.getByTestId('connection').filter({ hasText: 'Forbundet' }).waitFor()
}

/** Records every value the save state shows from now on (window.__saveStates). */
export async function recordSaveStates(page) {
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="save-state"]')
    const seen = (window.__saveStates = [el.dataset.saved])
    new MutationObserver(() => seen.push(el.dataset.saved)).observe(el, { attributes: true })
  })
}

/** Waits for "Gemt" and returns the values the save state went through since recording began. */
export async function waitSaved(page) {
  await page.locator('[data-testid="save-state"][data-saved="true"]').filter({ hasText: 'Gemt' }).waitFor()
  return page.evaluate(() => window.__saveStates ?? [])
}

export function editor(page) {
  return page.locator('#response-editor')
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** Runs axe-core in the page; fails on any serious or critical violation, listing them. */
export async function assertAccessible(page, what) {
  await page.evaluate(AXE_SOURCE)
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }))
  })
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  const minor = result.filter((v) => !bad.includes(v))
  if (minor.length) console.error(`axe (${what}): minor findings: ${minor.map((v) => `${v.id} (${v.impact})`).join(', ')}`)
  assert.deepEqual(bad, [], `axe found serious or critical violations on ${what}:\n${JSON.stringify(bad, null, 2)}`)
  return result
}

/** Describes the focused element: role-ish tag, accessible text. */
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return { tag: 'body', text: '' }
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').replace(/\s+/g, ' ').trim()
    return { tag: el.tagName.toLowerCase(), text, id: el.id, type: el.getAttribute('type') }
  })
}

/** Presses Tab (or Shift+Tab) until `want(focused)` holds; fails after `max` presses. */
export async function tabTo(page, want, { max = 80, back = false, what = 'the element' } = {}) {
  const seen = []
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
    const f = await focused(page)
    if (want(f)) return f
    seen.push(`${f.tag}:${f.text.slice(0, 40)}`)
  }
  assert.fail(`Tab never reached ${what}; focus went through: ${seen.join(' | ')}`)
}

/** A small valid PDF (one empty page), built here so that no file is needed. */
export function tinyPdf(title = 'Høringsmateriale') {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    `<< /Title (${title.replace(/[^\x20-\x7e]/g, '?')}) >>`,
  ]
  let out = '%PDF-1.4\n'
  const offsets = []
  objects.forEach((o, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}
