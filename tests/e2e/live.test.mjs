// The pages that follow the hearing's live events (GET /api/hearings/{id}/events), in real
// browsers against the real server (demo data: the seed hearing, nine LMU responses submitted,
// an empty joint response). The pages do not poll while the event stream is up, so each change
// below reaches an open page only through an event; and none of them is reloaded (a marker set
// in the page's window survives every step).
//
// - the other chair's consolidation workspace follows a passage put in (its tracked changes)
//   and the sharing (state, the way to the review, the new version);
// - an HMU member's review page follows another member's position, a new comment and the
//   chair's resolution of it, and says when the text has moved on since the shared version;
//   "Markér … som set" is shown as marked after a reload, from the server's word;
// - the hearing page's links follow `Hearing.can` for a chair, a member and an LMU member;
// - the secretariat files the frozen record from the meeting's page, and the record page tells
//   the meeting and each LMU response's submission from the record alone.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  apiFetch,
  assertAccessible,
  CONSOLIDATING_HEARING,
  demo,
  demoHearing,
  editorReady,
  launch,
  login,
  newContext,
} from './lib.mjs'

const CHAIR = 'Birgitte Holm'
const MEMBER = 'Gitte Damgaard' // DOK's chair, a member of the HMU
const OTHER = 'Lone Kjær' // SVO's chair, another member of the HMU
const NOTE = 'Afsnittet bør nævne de små afdelinger.'
const COMMENT = 'Kan vi skrive “alle afdelinger og botilbud”?'
const RESOLUTION = 'Rettet i næste udkast.'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

/** Marks the page's document: if the page is reloaded, the mark is gone. */
async function markDocument(page) {
  await page.evaluate(() => {
    window.__notReloaded = true
  })
}

async function assertNotReloaded(page, what) {
  assert.equal(await page.evaluate(() => window.__notReloaded === true), true, `${what}: the page was not reloaded`)
}

/** Every request the page makes for `path` from now on. */
function requestsTo(page, path) {
  const seen = []
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === path) seen.push(r.url())
  })
  return seen
}

/** An API call that must succeed. */
async function ok(page, method, path, body) {
  const r = await apiFetch(page, method, path, body)
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`)
  return r.json
}

/** Picks the option of a <select> whose text matches `re`. */
async function selectByText(select, re) {
  await select.locator('option', { hasText: re }).first().waitFor({ state: 'attached' })
  const texts = await select.locator('option').allTextContents()
  const i = texts.findIndex((t) => re.test(t))
  assert.ok(i >= 0, `an option matching ${re} among ${texts.join(' | ')}`)
  await select.selectOption({ index: i })
}

describe('pages follow the hearing live', () => {
  const ctx = {}
  const page = {}
  let hearing, responses

  before(async () => {
    for (const who of ['chair', 'vice', 'member', 'other', 'lmu', 'secretariat']) ctx[who] = await newContext(browser, who)
    page.chair = await login(ctx.chair, demo.hmuChair)
    hearing = await demoHearing(page.chair, CONSOLIDATING_HEARING)
    assert.equal(hearing.state, 'consolidating')
    const ws = await ok(page.chair, 'GET', `/api/hearings/${hearing.id}/consolidation`)
    responses = Object.fromEntries(ws.responses.map((r) => [r.committee.short_name, r.response_id]))
  })
  after(async () => {
    for (const c of Object.values(ctx)) await c.close()
  })

  /** The chair puts an LMU's first paragraph at the end of the joint response (an edit of its text). */
  const takePassage = (lmu) =>
    ok(page.chair, 'POST', `/api/hearings/${hearing.id}/passages`, {
      response_id: responses[lmu],
      blocks: [0],
      after_block: null,
    })

  test('the hearing page’s links follow Hearing.can', async () => {
    const p = page.chair
    await p.goto(`/hoeringer/${hearing.id}`)
    const links = p.getByTestId('consolidation-links')
    await links.getByRole('link', { name: /Saml høringssvarene/ }).waitFor()
    await links.getByRole('link', { name: /Proveniensrapport/ }).waitFor()
    await p.getByTestId('joint-links').getByRole('link', { name: /Del udkastet med HMU/ }).waitFor()

    // An HMU member has nothing to do with the joint response before it is shared.
    page.member = await login(ctx.member, demo.chair('dok'))
    const h = await ok(page.member, 'GET', `/api/hearings/${hearing.id}`)
    assert.deepEqual([h.can.consolidate, h.can.share, h.can.review], [false, false, false])
    await page.member.goto(`/hoeringer/${hearing.id}`)
    await page.member.getByTestId('board').waitFor()
    assert.equal(await page.member.getByTestId('consolidation-links').count(), 0)
    assert.equal(await page.member.getByTestId('joint-links').count(), 0)
  })

  test('the other chair’s workspace follows a passage put in and the sharing', async () => {
    const v = (page.vice = await login(ctx.vice, 'naestformand@demo.samskriv.dk'))
    await v.goto(`/hoeringer/${hearing.id}`)
    await v.getByRole('link', { name: /Saml høringssvarene/ }).click()
    await v.getByRole('heading', { level: 1, name: 'Samling af høringssvar' }).waitFor()
    await editorReady(v)
    await v.getByTestId('live-state').and(v.locator('[data-state="live"]')).waitFor()
    await v.getByTestId('hearing-state').filter({ hasText: 'Samles til fælles høringssvar' }).waitFor()

    // Changes since an empty version: none yet.
    await v.getByLabel('Navn på ny version').fill('Tomt udkast')
    await v.getByRole('button', { name: 'Gem version' }).click()
    await v.getByTestId('workspace-status').filter({ hasText: 'Versionen “Tomt udkast” er gemt' }).waitFor()
    await v.getByRole('switch', { name: 'Vis ændringer siden' }).check()
    await v.getByText('Ingen ændringer siden versionen.').waitFor()
    assert.equal(await v.getByRole('link', { name: 'Gå til gennemsyn' }).count(), 0)
    await markDocument(v)

    // The chair takes SBU's and SVO's first paragraphs (through the API, as another client would):
    // the vice-chair's list of changes follows the text's events.
    await takePassage('SBU')
    const changes = v.getByTestId('change-list').locator(':scope > li')
    await changes.first().filter({ hasText: `af ${CHAIR}` }).waitFor()
    await takePassage('SVO')
    await v.getByRole('heading', { level: 3, name: 'Ændringerne (2)' }).waitFor()

    // The chair shares: the state, the way to the review and the shared version arrive.
    await ok(page.chair, 'POST', `/api/hearings/${hearing.id}/share`, {})
    await v.getByTestId('hearing-state').filter({ hasText: 'Til gennemsyn' }).waitFor()
    await v.getByRole('link', { name: 'Gå til gennemsyn' }).waitFor()
    await v
      .getByRole('combobox', { name: 'Version at vise ændringer siden' })
      .locator('option', { hasText: 'Udkast 1 til HMU' })
      .waitFor({ state: 'attached' })
    await assertNotReloaded(v, 'the workspace')
  })

  test('a member’s review page follows another member’s position, a comment and its resolution', async () => {
    const m = page.member
    const events = requestsTo(m, `/api/hearings/${hearing.id}/events`)
    await m.goto(`/hoeringer/${hearing.id}`)
    // Shared now: the member reads the review and the report, and does not consolidate.
    await m.getByTestId('consolidation-links').getByRole('link', { name: /Proveniensrapport/ }).waitFor()
    assert.equal(await m.getByRole('link', { name: /Saml høringssvarene/ }).count(), 0)
    await m.getByTestId('joint-links').getByRole('link', { name: 'Gennemsyn og godkendelse' }).click()
    await m.getByRole('heading', { level: 1, name: `Gennemsyn: ${CONSOLIDATING_HEARING}` }).waitFor()
    await m.getByTestId('live-state').and(m.locator('[data-state="live"]')).waitFor()
    assert.ok(events.length > 0, 'the review page listens to the hearing’s events')
    const changes = m.getByTestId('changes').locator(':scope > li')
    assert.equal(await changes.count(), 2)
    await changes.nth(0).getByTestId('object').getByText('ingen').waitFor()
    await markDocument(m)

    // Another member objects to the first change, with a note.
    const o = (page.other = await login(ctx.other, demo.chair('svo')))
    const review = await ok(o, 'GET', `/api/hearings/${hearing.id}/review`)
    await ok(o, 'POST', `/api/hearings/${hearing.id}/positions`, {
      version_id: review.current.id,
      change_key: review.changes[0].key,
      position: 'object',
      note: NOTE,
    })
    await changes.nth(0).getByTestId('object').getByText(OTHER).waitFor()
    await changes.nth(0).getByTestId('notes').getByText(`${OTHER}: ${NOTE}`).waitFor()
    await m.getByTestId('review-message').getByText('Et andet medlem har taget stilling til en ændring.').waitFor()

    // … and comments; the chair resolves the comment.
    const comment = await ok(o, 'POST', `/api/hearings/${hearing.id}/comments`, {
      version_id: review.current.id,
      quote: '',
      body: COMMENT,
    })
    const item = m.getByTestId('comments').locator(`li[data-comment="${comment.id}"]`)
    await item.getByText(COMMENT).waitFor()
    await m.getByTestId('review-message').getByText('Der er kommet en ny kommentar.').waitFor()
    assert.equal(await item.getAttribute('data-resolved'), 'false')
    await ok(page.chair, 'POST', `/api/hearings/${hearing.id}/comments/${comment.id}/resolve`, { resolution: RESOLUTION })
    await m.locator(`li[data-comment="${comment.id}"][data-resolved="true"]`).getByText(`Afsluttet af ${CHAIR}`).waitFor()
    await item.getByText(RESOLUTION, { exact: false }).waitFor()
    await m.getByTestId('review-message').getByText(`Kommentar K1 er afsluttet af ${CHAIR}.`).waitFor()
    await assertNotReloaded(m, 'the review page')
    await assertAccessible(m, 'the review page, kept live (HMU member)')

    // An LMU member outside the HMU is offered neither the review nor the workspace.
    const l = await login(ctx.lmu, demo.member('sbu', 1))
    await l.goto(`/hoeringer/${hearing.id}`)
    await l.getByTestId('board').waitFor()
    assert.equal(await l.getByTestId('joint-links').count(), 0)
    assert.equal(await l.getByTestId('consolidation-links').count(), 0)
  })

  test('the review says when the text moved on since the shared version, and what the member marked as seen', async () => {
    const m = page.member
    assert.equal(await m.getByTestId('text-changed').count(), 0, 'the text is the shared version')

    // The chair's own review page: the version can be approved as it is.
    const c = page.chair
    await c.goto(`/hoeringer/${hearing.id}/gennemsyn`)
    await c.getByTestId('live-state').and(c.locator('[data-state="live"]')).waitFor()
    await c.getByRole('button', { name: 'Godkend Udkast 1 til HMU' }).waitFor()
    await markDocument(c)

    await takePassage('SAU')
    await m.getByTestId('text-changed').waitFor()
    await m
      .getByTestId('review-message')
      .getByText('Formandskabet har ændret teksten, efter Udkast 1 til HMU blev delt.')
      .waitFor()
    // The chair is told to share the new text before approving it, and is offered no approval.
    await c.getByTestId('approve-blocked').waitFor()
    assert.equal(await c.getByRole('button', { name: /^Godkend / }).count(), 0)
    await assertNotReloaded(m, 'the review page')
    await assertNotReloaded(c, 'the chair’s review page')

    // Marked as seen: said at once, and after a reload from the server's word.
    await m.getByRole('button', { name: 'Markér Udkast 1 til HMU som set' }).click()
    await m.locator('#seen-note:focus').waitFor()
    await m.getByTestId('review-message').getByText('Udkast 1 til HMU er markeret som set').waitFor()
    await m.reload()
    await m.getByTestId('seen-note').getByText('Du har markeret Udkast 1 til HMU som set.').waitFor()
    assert.equal(await m.getByRole('button', { name: /^Markér .* som set$/ }).count(), 0)
    const r = await ok(m, 'GET', `/api/hearings/${hearing.id}/review`)
    assert.equal(r.seen_version_id, r.current.id)
    assert.equal(r.live_differs, true)
  })

  test('the secretariat files the frozen record from the meeting’s page; the record tells where and who submitted', async () => {
    // The chairs share the text as it is, approve it and freeze it (through the API).
    const c = page.chair
    await ok(c, 'POST', `/api/hearings/${hearing.id}/share`, {})
    const review = await ok(c, 'GET', `/api/hearings/${hearing.id}/review`)
    await ok(c, 'POST', `/api/hearings/${hearing.id}/approve`, { version_id: review.current.id })
    await ok(page.vice, 'POST', `/api/hearings/${hearing.id}/approve`, { version_id: review.current.id })
    const { record_id: recordId } = await ok(c, 'POST', `/api/hearings/${hearing.id}/freeze`)

    const s = (page.secretariat = await login(ctx.secretariat, demo.secretariat))
    await s.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Møder' }).click()
    await s.getByRole('link', { name: '25. september 2023' }).click()
    await s.getByRole('heading', { level: 1, name: /møde i HMU Socialområdet 25\. september 2023/ }).waitFor()
    const form = s.getByTestId('file-here')
    await form.getByRole('heading', { level: 2, name: 'Arkivér et endeligt høringssvar' }).waitFor()
    await selectByText(form.getByLabel('Endeligt høringssvar, der ikke er arkiveret'), new RegExp(CONSOLIDATING_HEARING))
    await selectByText(form.getByLabel('Punkt på dagsordenen'), /^2\. Drøftelse af HMU formandskabets udkast/)
    await assertAccessible(s, 'the meeting page with the filing form (secretariat)')
    await form.getByRole('button', { name: 'Arkivér som bilag' }).click()
    await s.getByTestId('meeting-message').getByText(`“${CONSOLIDATING_HEARING}” er arkiveret som bilag til punkt 2`).waitFor()
    await s.getByTestId('nothing-to-file').waitFor()
    // Focus goes to the item, whose attachments now hold the record with the nine LMU responses.
    await s.locator('#punkt-2-titel:focus').waitFor()
    const rec = s.locator('#punkt-2 .attachments > li[data-kind="record"]')
    await rec.locator(':scope > .attachment__title').getByText(CONSOLIDATING_HEARING, { exact: false }).waitFor()
    assert.equal(await rec.locator(':scope > .attachments > li[data-kind="version"]').count(), 9)

    // The record page says where it is filed and who submitted each LMU's response.
    await rec.getByRole('link', { name: /^Åbn/ }).click()
    await s.getByRole('heading', { level: 1, name: `Endeligt høringssvar: ${CONSOLIDATING_HEARING}` }).waitFor()
    assert.equal(new URL(s.url()).pathname, `/poster/${recordId}`)
    await s.getByTestId('filed').getByText('på mødet i HMU Socialområdet 25. september 2023').waitFor()
    const sbu = s.getByTestId('record-responses').locator('tbody tr', { has: s.locator('th', { hasText: /^SBU$/ }) })
    await sbu.getByText(/\d{4} kl\. \d{2}\.\d{2} af Anne Jensen/).waitFor()
    assert.equal(await s.getByTestId('record-responses').locator('tbody tr').filter({ hasText: ' af ' }).count(), 9)
    await assertAccessible(s, 'the record page, filed')
  })
})
