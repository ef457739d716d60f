// The whole hearing round in real browsers against the real server (demo data), from the
// hearing's opening to the filed minutes (shared/seeds/003, item 2): the secretariat opens the
// prepared hearing; two LMUs write and their chairs submit (the other seven through the API);
// collection closes; a chair puts passages into the joint response and shares it; an HMU member
// sees the changes, objects to one and comments on a passage, with the keyboard; the chair sees
// the position and resolves the comment; both chairs approve; an edit voids the approvals
// visibly; the chairs share again, approve and freeze; the record shows its hash, passes
// "Kontrollér" and downloads as PDF and DOCX; the secretariat files it with an item of a new
// meeting, whose page shows the record with the LMU responses under it and whose minutes
// download as PDF. axe-core checks every new page.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, describe, test } from 'node:test'
import {
  apiFetch,
  assertAccessible,
  demo,
  editor,
  editorReady,
  focused,
  launch,
  login,
  newContext,
  recordSaveStates,
  tabTo,
  waitSaved,
} from './lib.mjs'

const HEARING = 'Arbejdsmiljøindsatsen 2026-2030'
const ALL_LMUS = ['svo', 'sua', 'soh', 'socialstaben', 'sbu', 'sau', 'ikh', 'holmstrupgaard', 'dok']
const CHAIR = 'Birgitte Holm'
const MEMBER = 'Gitte Damgaard' // DOK's chair, a member of the HMU
const SBU_TEXT = [
  'LMU SBU støtter en fælles indsats mod vold og trusler på alle afdelinger.',
  'Risikovurderinger skal laves sammen med arbejdsmiljørepræsentanterne.',
]
const SAU_TEXT = ['LMU SAU ønsker, at læring af nærved-ulykker deles på tværs af specialområderne.']
const NOTE = 'Punktet bør nævne de små afdelinger.'
const COMMENT = 'Kan vi skrive “alle afdelinger og botilbud”?'
const QUOTED = 'LMU SBU støtter' // the first 15 characters of the joint text, selected with the keyboard

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

/** The user's hearing with this title, as the page's user sees it. */
async function hearingOf(page) {
  const r = await apiFetch(page, 'GET', '/api/hearings')
  assert.equal(r.status, 200, r.text)
  const h = r.json.find((x) => x.title === HEARING)
  assert.ok(h, `"${HEARING}" is among ${r.json.map((x) => x.title).join(', ')}`)
  return h
}

/** A member writes paragraphs into their LMU's response to the hearing, through the editor. */
async function write(page, paragraphs) {
  await page.goto('/')
  const card = page.locator('.card', { has: page.getByRole('heading', { name: HEARING }) })
  await card.getByRole('link', { name: /^Høringssvar fra / }).click()
  await page.getByRole('heading', { level: 1, name: /^Høringssvar fra / }).waitFor()
  await editorReady(page)
  await recordSaveStates(page)
  await editor(page).click()
  await page.keyboard.press('Control+End')
  for (const [i, p] of paragraphs.entries()) {
    if (i > 0) await page.keyboard.press('Enter')
    await page.keyboard.type(p)
  }
  await waitSaved(page)
}

/** A chair submits their LMU's response from its page. */
async function submit(page) {
  await page.goto('/')
  const card = page.locator('.card', { has: page.getByRole('heading', { name: HEARING }) })
  await card.getByRole('link', { name: /^Høringssvar fra / }).click()
  await page.getByRole('button', { name: 'Indsend høringssvar' }).click()
  const dialog = page.getByRole('dialog', { name: 'Indsend høringssvaret?' })
  await dialog.getByRole('button', { name: 'Indsend', exact: true }).click()
  await dialog.waitFor({ state: 'hidden' })
  await page.getByTestId('response-status').getByText('indsendt').waitFor()
}

/** Logs the page's context in as another user through the API (no form: the quick way). */
async function apiLogin(page, email) {
  const r = await apiFetch(page, 'POST', '/api/session', { email, password: 'demo1234' })
  assert.equal(r.status, 200, r.text)
}

/** The review page of the hearing, reached from the hearing page's link. */
async function openReview(page, hearingId, linkName = 'Gennemsyn og godkendelse') {
  await page.goto(`/hoeringer/${hearingId}`)
  await page.getByTestId('joint-links').getByRole('link', { name: linkName }).click()
  await page.getByRole('heading', { level: 1, name: `Gennemsyn: ${HEARING}` }).waitFor()
}

/** The chair clicks "Godkend <version>" and confirms. */
async function approve(page, version) {
  await page.getByRole('button', { name: `Godkend ${version}` }).click()
  const dialog = page.getByRole('dialog', { name: `Godkend ${version}?` })
  await dialog.getByText(/bortfalder godkendelsen/).waitFor()
  await dialog.getByRole('button', { name: 'Godkend', exact: true }).click()
  await dialog.waitFor({ state: 'hidden' })
}

/** Shares the joint response as it is now through the review page's dialog. */
async function share(page, buttonName) {
  await page.getByRole('button', { name: buttonName }).click()
  const dialog = page.getByRole('dialog', { name: /^Del / })
  await dialog.getByRole('button', { name: 'Del med HMU' }).click()
  await dialog.waitFor({ state: 'hidden' })
}

/** Picks the option of a <select> whose text matches `re`. */
async function selectByText(select, re) {
  await select.locator('option', { hasText: re }).first().waitFor({ state: 'attached' })
  const texts = await select.locator('option').allTextContents()
  const i = texts.findIndex((t) => re.test(t))
  assert.ok(i >= 0, `an option matching ${re} among ${texts.join(' | ')}`)
  await select.selectOption({ index: i })
}

/** Clicks a download link and returns the downloaded bytes. */
async function download(page, link) {
  const [d] = await Promise.all([page.waitForEvent('download'), link.click()])
  const path = await d.path()
  assert.ok(path, `the download of ${d.suggestedFilename()} finished`)
  return { name: d.suggestedFilename(), bytes: await readFile(path) }
}

describe('the whole round, from the hearing’s opening to the filed minutes', () => {
  const ctx = {}
  const page = {}
  let hearingId, recordId, sauResponseId

  before(async () => {
    for (const who of ['secretariat', 'sbuMember', 'sbuChair', 'sauMember', 'sauChair', 'others', 'chair', 'vice', 'member']) {
      ctx[who] = await newContext(browser, who)
    }
  })
  after(async () => {
    for (const c of Object.values(ctx)) await c.close()
  })

  test('the secretariat sends the prepared hearing into hearing', async () => {
    const p = (page.secretariat = await login(ctx.secretariat, demo.secretariat))
    await p.locator('.card').getByRole('link', { name: HEARING }).click()
    await p.getByRole('heading', { level: 1, name: HEARING }).waitFor()
    hearingId = Number(new URL(p.url()).pathname.split('/').pop())
    assert.equal(hearingId, 3, 'the demo’s prepared hearing')
    await p.getByTestId('hearing-state').filter({ hasText: 'Kladde' }).waitFor()
    await p.getByRole('button', { name: 'Send i høring' }).click()
    await p.getByRole('dialog', { name: 'Send høringen i høring?' }).getByRole('button', { name: 'Send i høring' }).click()
    await p.getByTestId('hearing-state').filter({ hasText: 'I høring' }).waitFor()
    await p.getByTestId('board').locator('tbody tr').nth(8).waitFor()
  })

  test('two LMUs write and their chairs submit; the other seven submit through the API; collection closes', async () => {
    await write((page.sbuMember = await login(ctx.sbuMember, demo.member('sbu', 1))), SBU_TEXT)
    await write((page.sauMember = await login(ctx.sauMember, demo.member('sau', 1))), SAU_TEXT)
    await submit((page.sbuChair = await login(ctx.sbuChair, demo.chair('sbu'))))
    await submit((page.sauChair = await login(ctx.sauChair, demo.chair('sau'))))

    const sec = page.secretariat
    const board = sec.getByTestId('board')
    await board.locator('tbody tr[data-committee="SBU"] [data-status^="submitted"]').waitFor()
    await board.locator('tbody tr[data-committee="SAU"] [data-status^="submitted"]').waitFor()
    assert.equal(
      (await apiFetch(sec, 'GET', `/api/hearings/${hearingId}`)).json.state,
      'collecting',
      'two of nine have answered: still collecting',
    )

    const p = await ctx.others.newPage()
    await p.goto('/logind')
    for (const lmu of ALL_LMUS.filter((l) => l !== 'sbu' && l !== 'sau')) {
      await apiLogin(p, demo.chair(lmu))
      const h = await hearingOf(p)
      assert.equal(h.my_responses.length, 1, `${lmu} has one response`)
      const r = await apiFetch(p, 'POST', `/api/responses/${h.my_responses[0].id}/submit`)
      assert.equal(r.status, 200, `${lmu}: ${r.text}`)
    }
    // The last submission closes the collection by itself; the secretariat's page follows live.
    await sec.getByTestId('hearing-state').filter({ hasText: 'Samles til fælles høringssvar' }).waitFor()
  })

  test('a chair puts passages into the joint response and shares it with the HMU', async () => {
    const p = (page.chair = await login(ctx.chair, demo.hmuChair))
    const ws = await apiFetch(p, 'GET', `/api/hearings/${hearingId}/consolidation`)
    assert.equal(ws.status, 200, ws.text)
    const sbu = ws.json.responses.find((r) => r.committee.short_name === 'SBU')
    const sau = ws.json.responses.find((r) => r.committee.short_name === 'SAU')
    sauResponseId = sau.response_id
    assert.deepEqual(
      sbu.blocks.blocks.map((b) => b.inlines.map((i) => i.text).join('')),
      SBU_TEXT,
      'SBU’s response is what its member typed',
    )
    let r = await apiFetch(p, 'POST', `/api/hearings/${hearingId}/passages`, {
      response_id: sbu.response_id,
      blocks: [0, 1],
      after_block: null,
    })
    assert.equal(r.status, 200, r.text)
    r = await apiFetch(p, 'POST', `/api/hearings/${hearingId}/passages`, {
      response_id: sau.response_id,
      blocks: [0],
      after_block: 99,
    })
    assert.equal(r.status, 200, r.text)

    await openReview(p, hearingId, 'Del udkastet med HMU (gennemsyn og godkendelse)')
    await p.getByTestId('nothing-shared').waitFor()
    await assertAccessible(p, 'the review page before anything is shared (chair)')
    await share(p, 'Del udkastet med HMU')
    await p.getByTestId('current-version').filter({ hasText: 'Udkast 1 til HMU' }).waitFor()
    await p.getByTestId('review-state').filter({ hasText: 'Til gennemsyn' }).waitFor()
    await p.getByTestId('approval-rule').getByText('alle 2 i formandskabet skal godkende').waitFor()

    // An LMU member outside the HMU does not review the joint response, and is told so.
    const outsider = page.sbuMember
    await outsider.goto(`/hoeringer/${hearingId}/gennemsyn`)
    await outsider.getByRole('alert').getByText('Det fælles høringssvar er ikke delt med dig').waitFor()
    assert.equal(await outsider.locator('#shared-text').count(), 0)
  })

  test('an HMU member sees the changes with their author, objects to one and comments on a passage, by keyboard', async () => {
    const p = (page.member = await login(ctx.member, demo.chair('dok')))
    await openReview(p, hearingId)
    await p.getByTestId('since').getByText('første delte version').waitFor()

    // Three new paragraphs, each inserted by the chair: the insertion is <ins> with a text label.
    const changes = p.getByTestId('changes').locator(':scope > li')
    assert.equal(await changes.count(), 3)
    const first = changes.nth(0)
    await first.locator(`ins[data-author="${CHAIR}"]`).getByText(SBU_TEXT[0]).waitFor()
    assert.match(await first.locator('ins .visually-hidden').first().textContent(), new RegExp(`indsat af ${CHAIR}`))
    await first.getByText(`Indsat af ${CHAIR}. Kilde: SBU.`).waitFor()

    // The shared text is live and read-only: typing changes nothing.
    await p.getByTestId('shared-connection').filter({ hasText: 'Forbundet' }).waitFor()
    const text = p.locator('#shared-text')
    await text.getByText(SBU_TEXT[0]).waitFor()
    assert.equal(await text.getAttribute('aria-readonly'), 'true')
    await assertAccessible(p, 'the review page (HMU member)')

    // Position by keyboard: a note, then Tab to "Uenig i ændring 2", Enter.
    await p.getByLabel('Bemærkning til ændring 2 (valgfri)').focus()
    await p.keyboard.type(NOTE)
    await tabTo(p, (f) => f.text === 'Uenig i ændring 2', { max: 3, what: '“Uenig i ændring 2”' })
    await p.keyboard.press('Enter')
    await p.getByTestId('review-message').getByText('Din holdning til ændring 2 er registreret: uenig.').waitFor()
    const second = changes.nth(1)
    await second.getByTestId('object').getByText(MEMBER).waitFor()
    await second.getByTestId('notes').getByText(`${MEMBER}: ${NOTE}`).waitFor()
    await second.getByRole('button', { name: 'Uenig i ændring 2', pressed: true }).waitFor()
    await second.getByTestId('mine').getByText('Uenig').waitFor()

    // Comment by keyboard: into the text, select its first characters with Shift+→, Tab to the
    // comment field, write, Tab to the button, Enter.
    await text.focus()
    await p.keyboard.press('Control+Home')
    await p.keyboard.type('skal ikke stå her')
    for (let i = 0; i < QUOTED.length; i++) await p.keyboard.press('Shift+ArrowRight')
    await p.getByTestId('comment-selection').getByText(QUOTED).waitFor()
    assert.equal(await text.getByText('skal ikke stå her').count(), 0, 'typing into the shared text changes nothing')
    const intoField = await tabTo(p, (f) => f.id === 'comment-body', { max: 3, what: 'the comment field' })
    assert.equal(intoField.tag, 'textarea')
    await p.keyboard.type(COMMENT)
    await tabTo(p, (f) => f.text === 'Tilføj kommentar', { max: 2, what: '“Tilføj kommentar”' })
    await p.keyboard.press('Enter')
    await p.getByTestId('review-message').getByText('Kommentaren er tilføjet som K1.').waitFor()
    const comment = p.getByTestId('comments').locator('li[data-resolved="false"]')
    await comment.getByText(COMMENT).waitFor()
    await comment.getByText(QUOTED).waitFor()
    // The passage is highlighted in the text and starts with the comment's number.
    await text.locator('.comment-mark').filter({ hasText: QUOTED }).waitFor()
    assert.equal((await text.locator('.comment-mark').allTextContents()).join(''), QUOTED)
    await text.locator('.comment-marker').getByText('[K1]').waitFor()
    await assertAccessible(p, 'the review page with a comment (HMU member)')

    // What the server keeps: the anchors are Yjs relative positions.
    const review = (await apiFetch(p, 'GET', `/api/hearings/${hearingId}/review`)).json
    assert.equal(review.comments[0].quote, QUOTED)
    assert.ok(review.comments[0].anchor_start && review.comments[0].anchor_end)

    await p.getByRole('button', { name: 'Markér Udkast 1 til HMU som set' }).click()
    await p.getByTestId('review-message').getByText('Udkast 1 til HMU er markeret som set').waitFor()
    await p.locator('#seen-note:focus').waitFor() // focus stays where the button was
  })

  test('the chair sees who objected, with the note, and resolves the comment', async () => {
    const p = page.chair
    await p.reload()
    await p.getByTestId('current-version').filter({ hasText: 'Udkast 1 til HMU' }).waitFor()
    const second = p.getByTestId('changes').locator(':scope > li').nth(1)
    await second.getByTestId('object').getByText(MEMBER).waitFor()
    await second.getByTestId('agree').getByText('ingen').waitFor()
    await second.getByTestId('notes').getByText(`${MEMBER}: ${NOTE}`).waitFor()
    await assertAccessible(p, 'the review page (chair)')

    const comment = p.getByTestId('comments').locator('li').filter({ hasText: COMMENT })
    await comment.getByLabel('Svar eller afgørelse til K1 (valgfrit)').fill('Rettet i næste udkast.')
    await comment.getByRole('button', { name: 'Afslut kommentar K1' }).click()
    await p.getByTestId('review-message').getByText('Kommentar K1 er afsluttet.').waitFor()
    await p.locator(`li[data-resolved="true"]`).getByText(`Afsluttet af ${CHAIR}`).waitFor()
    await p.locator('#shared-text .comment-mark.is-resolved').filter({ hasText: QUOTED }).waitFor()
    await p.locator('#shared-text .comment-marker').getByText('[K1, afsluttet]').waitFor()
  })

  test('both chairs approve; an edit after approval voids it, visibly', async () => {
    const p = page.chair
    await approve(p, 'Udkast 1 til HMU')
    await p.getByTestId('approvals').locator('li[data-approved="true"]').getByText(CHAIR).waitFor()
    await p.getByTestId('approval-state').getByText('1 af 2 nødvendige godkendelser').waitFor()

    // The vice-chair approves with the keyboard only.
    const v = (page.vice = await login(ctx.vice, 'naestformand@demo.samskriv.dk'))
    await openReview(v, hearingId)
    await v.getByRole('heading', { level: 2, name: 'Godkendelse' }).waitFor()
    await v.locator('main h1').focus()
    await tabTo(v, (f) => f.text === 'Godkend Udkast 1 til HMU', { max: 120, what: '“Godkend Udkast 1 til HMU”' })
    await v.keyboard.press('Enter')
    const dialog = v.getByRole('dialog', { name: 'Godkend Udkast 1 til HMU?' })
    await dialog.waitFor()
    assert.equal((await focused(v)).text, 'Annullér', 'the dialog opens on its safe choice')
    await v.keyboard.press('Shift+Tab')
    assert.equal((await focused(v)).text, 'Godkend')
    await v.keyboard.press('Enter')
    await dialog.waitFor({ state: 'hidden' })
    await v.getByTestId('approval-state').getByText('Reglen er opfyldt').waitFor()
    await v.getByTestId('review-state').filter({ hasText: 'Godkendt' }).waitFor()
    await v.getByRole('button', { name: 'Gør endelig' }).waitFor()

    // The chair takes one more passage in (an edit of the joint response): the approvals are
    // void, and the vice-chair's open page says so without a reload.
    const r = await apiFetch(p, 'POST', `/api/hearings/${hearingId}/passages`, {
      response_id: sauResponseId,
      blocks: [0],
      after_block: null,
    })
    assert.equal(r.status, 200, r.text)
    const voided = v.getByTestId('voided')
    await voided.getByText('teksten blev ændret efter godkendelsen').first().waitFor()
    assert.equal(await voided.locator('li').count(), 2, 'both approvals are void')
    await voided.getByText(`${CHAIR}s godkendelse af Udkast 1 til HMU`).waitFor()
    await v.getByTestId('review-state').filter({ hasText: 'Til gennemsyn' }).waitFor()
    await v.getByTestId('text-changed').waitFor()
    await v.getByTestId('approve-blocked').waitFor()
    assert.equal(await v.getByRole('button', { name: 'Gør endelig' }).count(), 0)
    assert.equal(await v.getByRole('button', { name: /^Godkend / }).count(), 0, 'a changed text is shared before it is approved')
    assert.equal(await v.getByTestId('approvals').locator('li[data-approved="true"]').count(), 0)
    await assertAccessible(v, 'the review page with voided approvals (chair)')

    // The member's comment still marks its passage, though new text now stands before it.
    const m = page.member
    const text = m.locator('#shared-text')
    await text.locator('p').first().getByText(SAU_TEXT[0]).waitFor()
    assert.equal((await text.locator('.comment-mark').allTextContents()).join(''), QUOTED)
  })

  test('the chairs share again and approve; the member sees only what changed since; the chair freezes it', async () => {
    const p = page.chair
    await p.reload()
    await share(p, 'Del ny version med HMU')
    await p.getByTestId('current-version').filter({ hasText: 'Udkast 2 til HMU' }).waitFor()

    // The member, who saw version 1, sees what changed since then: the one new passage.
    const m = page.member
    await m.reload()
    await m.getByTestId('since').getByText('Ændringer fra Udkast 1 til HMU, som du så sidst, til Udkast 2 til HMU.').waitFor()
    const changes = m.getByTestId('changes').locator(':scope > li')
    await changes.first().locator(`ins[data-author="${CHAIR}"]`).getByText(SAU_TEXT[0]).waitFor()
    assert.equal(await changes.count(), 1, 'one change: the passage put in after version 1')

    await approve(p, 'Udkast 2 til HMU')
    const v = page.vice
    await v.reload()
    await approve(v, 'Udkast 2 til HMU')
    await v.getByTestId('approval-state').getByText('Reglen er opfyldt').waitFor()

    await p.reload()
    await p.getByRole('button', { name: 'Gør endelig' }).click()
    const dialog = p.getByRole('dialog', { name: 'Gør høringssvaret endeligt?' })
    await dialog.getByText('Teksten bliver skrivebeskyttet for alle – for altid.').waitFor()
    await dialog.getByRole('button', { name: 'Gør endelig' }).click()
    await p.getByRole('heading', { level: 1, name: `Endeligt høringssvar: ${HEARING}` }).waitFor()
    recordId = Number(new URL(p.url()).pathname.split('/').pop())
    assert.ok(recordId > 0)

    // Read-only for good: the server refuses another passage.
    assert.equal((await apiFetch(p, 'GET', `/api/hearings/${hearingId}`)).json.state, 'frozen')
    const refused = await apiFetch(p, 'POST', `/api/hearings/${hearingId}/passages`, {
      response_id: sauResponseId,
      blocks: [0],
      after_block: null,
    })
    assert.ok([403, 409].includes(refused.status), `no more passages once frozen: ${refused.status} ${refused.text}`)
  })

  test('the record shows its hash, passes "Kontrollér" and downloads as PDF and DOCX', async () => {
    const p = page.member
    await p.goto(`/hoeringer/${hearingId}`)
    await p.getByTestId('joint-links').getByRole('link', { name: 'Det endelige høringssvar' }).click()
    await p.getByRole('heading', { level: 1, name: `Endeligt høringssvar: ${HEARING}` }).waitFor()
    assert.equal(new URL(p.url()).pathname, `/poster/${recordId}`)

    const record = (await apiFetch(p, 'GET', `/api/records/${recordId}`)).json
    assert.match(record.sha256, /^[0-9a-f]{64}$/)
    assert.equal((await p.getByTestId('sha256').textContent()).trim(), record.sha256)
    assert.equal((await p.getByTestId('form').textContent()).trim(), 'samskriv-html-1')
    assert.equal(await p.getByTestId('canonical').textContent(), record.html, 'the canonical form, byte for byte')
    assert.deepEqual(
      record.approved_by.map((a) => a.name).sort(),
      [CHAIR, 'Karsten Dahl'],
      'approved by both chairs',
    )
    await p.getByTestId('approved-by').getByText(CHAIR).waitFor()
    for (const t of [...SBU_TEXT, ...SAU_TEXT]) await p.getByTestId('record-text').getByText(t).first().waitFor()
    assert.equal(await p.getByTestId('record-responses').locator('tbody tr').count(), 9, 'the nine LMU responses')

    await p.getByRole('button', { name: 'Kontrollér' }).click()
    const result = p.getByTestId('verify-result')
    await result.getByText('Posten er uændret').waitFor()
    assert.equal(await result.getAttribute('data-ok'), 'true')
    await result.getByText('Din browser har også selv beregnet SHA-256').waitFor()
    await assertAccessible(p, 'the record page')

    const pdf = await download(p, p.getByRole('link', { name: 'Hent som PDF' }))
    assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-', `${pdf.name} is a PDF`)
    const docx = await download(p, p.getByRole('link', { name: 'Hent som Word (DOCX)' }))
    assert.equal(docx.bytes.subarray(0, 2).toString('latin1'), 'PK', `${docx.name} is a zip`)
    assert.ok(docx.bytes.includes(Buffer.from('word/document.xml')), 'with a Word document inside')
    const lmu = await download(p, p.getByRole('link', { name: 'PDF med høringssvaret fra SBU' }))
    assert.equal(lmu.bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'an LMU response downloads as PDF')
  })

  test('the secretariat files the record with an item of a new meeting; the meeting page shows it; the minutes download', async () => {
    const p = page.secretariat
    await p.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Møder' }).click()
    await p.getByRole('heading', { level: 1, name: 'Møder' }).waitFor()
    await assertAccessible(p, 'the meetings page')
    await p.getByRole('button', { name: 'Opret møde' }).click()
    assert.equal((await focused(p)).id, 'new-meeting-date', 'the form opens on its first field')
    await p.getByLabel('Dato').fill('2031-04-02')
    await p.getByLabel('Starter kl.').fill('12:00')
    await p.getByLabel('Slutter kl.').fill('14:45')
    await p.getByLabel('Sted').fill('Tingvej 11, 2. sal, 8800 Viborg')
    await p.getByRole('button', { name: 'Opret møde' }).click()
    await p.getByRole('heading', { level: 1, name: 'Dagsorden: møde i HMU Socialområdet 2. april 2031' }).waitFor()
    const meetingId = Number(new URL(p.url()).pathname.split('/').pop())

    await p.getByRole('button', { name: 'Tilføj punkt' }).click()
    await p.getByLabel('Titel').fill('Høringssvar fra HMU om arbejdsmiljøindsatsen 2026-2030')
    await p.getByLabel('Fra kl.').fill('13:20')
    await p.getByLabel('Til kl.').fill('13:40')
    await p.getByLabel('Sagsnr.').fill('1-13-3-105-25')
    await p.getByLabel(/^Det indstilles, at HMU/).fill('tager HMU’s høringssvar til efterretning\ndrøfter den videre proces')
    await p.getByLabel('Sagsfremstilling').fill(
      'HMU-formandskabet har udarbejdet et fælles høringssvar med afsæt i LMU’ernes høringssvar.\n\nDe enkelte LMU-høringssvar vedlægges som bilag.',
    )
    await p.getByRole('button', { name: 'Tilføj punkt' }).click()
    const item = p.locator('#punkt-1')
    await item.getByRole('heading', { level: 2, name: '1. Høringssvar fra HMU om arbejdsmiljøindsatsen 2026-2030 (kl. 13.20-13.40)' }).waitFor()
    await item.getByText('Sagsnr. 1-13-3-105-25').waitFor()
    await item.getByRole('heading', { level: 3, name: 'Det indstilles, at HMU' }).waitFor()
    assert.equal(await item.locator('h3 + ul > li').first().textContent(), 'tager HMU’s høringssvar til efterretning')

    // "Arkivér med referatet" on the record page: pick the meeting and the item.
    await p.goto(`/poster/${recordId}`)
    await p.getByTestId('not-filed').waitFor()
    await selectByText(p.getByLabel('Møde', { exact: true }), /2\. april 2031/)
    await selectByText(p.getByLabel('Punkt på dagsordenen'), /^1\. Høringssvar fra HMU/)
    await assertAccessible(p, 'the record page with the filing form (secretariat)')
    await p.getByRole('button', { name: 'Arkivér', exact: true }).click()
    await p.getByTestId('record-message').getByText('arkiveret under punkt 1 på mødet 2. april 2031').waitFor()
    await p.locator('#filed-heading:focus').waitFor() // the form is gone; focus is on its section
    await p.getByTestId('filed').getByText('på mødet i HMU Socialområdet 2. april 2031').waitFor()
    await p.getByTestId('filed').getByRole('link', { name: /punkt 1: Høringssvar fra HMU/ }).click()
    await p.getByRole('heading', { level: 1, name: /møde i HMU Socialområdet 2\. april 2031/ }).waitFor()

    // The record is the item's attachment, with the nine LMU responses under it.
    const attachments = p.locator('#punkt-1 .attachments')
    const recordItem = attachments.locator(':scope > li[data-kind="record"]')
    await recordItem.locator(':scope > .attachment__title').getByText(`Høringssvar fra HMU: ${HEARING}`).waitFor()
    assert.equal(await recordItem.locator(':scope > .attachments > li[data-kind="version"]').count(), 9)
    await recordItem.locator('.attachment__title').getByText('LMU høringssvar fra SBU').waitFor()

    // The decision goes into the minutes, which are then marked written.
    await p.getByRole('button', { name: 'Redigér punkt 1' }).click()
    await p.getByLabel('Beslutning (skrives i referatet efter mødet)').fill('HMU tog høringssvaret til efterretning.')
    await p.getByRole('button', { name: 'Gem punkt 1' }).click()
    await p.getByTestId('meeting-message').getByText('Punkt 1 er gemt.').waitFor()
    await p.locator('#punkt-1').getByTestId('decision').getByText('HMU tog høringssvaret til efterretning.').waitFor()
    await p.getByRole('button', { name: 'Markér referatet som skrevet' }).click()
    await p.getByRole('heading', { level: 1, name: 'Referat: møde i HMU Socialområdet 2. april 2031' }).waitFor()
    await assertAccessible(p, 'the meeting page (secretariat)')

    const minutes = await download(p, p.getByRole('link', { name: 'PDF (referat)' }))
    assert.equal(minutes.bytes.subarray(0, 5).toString('latin1'), '%PDF-', `${minutes.name} is a PDF`)

    // A member of the HMU reads the same page and downloads the record from it.
    const m = page.member
    await m.goto(`/moeder/${meetingId}`)
    await m.getByRole('heading', { level: 1, name: 'Referat: møde i HMU Socialområdet 2. april 2031' }).waitFor()
    assert.equal(await m.getByRole('button', { name: 'Redigér punkt 1' }).count(), 0, 'members only read')
    const rec = m.locator('#punkt-1 .attachments > li[data-kind="record"]')
    const recPdf = await download(m, rec.getByRole('link', { name: `PDF af Høringssvar fra HMU: ${HEARING}` }))
    assert.equal(recPdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-')
    await assertAccessible(m, 'the meeting page (HMU member)')
  })
})
