// The hearing round end to end, in real browsers against the real server (demo data):
// the secretariat creates, furnishes and opens a hearing (which it cannot close early); two
// members of one LMU write together; a member of another LMU is kept out; the LMU's chair
// submits; the secretariat's board shows it live.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  apiFetch,
  demo,
  demoHearing,
  editor,
  editorReady,
  launch,
  login,
  newContext,
  openOwnResponse,
  OPEN_HEARING,
  recordSaveStates,
  sessionOf,
  tinyPdf,
  waitSaved,
} from './lib.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

describe('the secretariat', () => {
  test('creates a hearing, uploads a PDF and sends it into hearing', async () => {
    const ctx = await newContext(browser, 'sekretariat')
    const page = await login(ctx, demo.secretariat)
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Ny høring' }).click()
    await page.getByRole('heading', { level: 1, name: 'Ny høring' }).waitFor()

    const title = `Høring om arbejdsmiljøstrategi ${Date.now()}`
    await page.getByLabel('Titel').fill(title)
    await page.getByLabel('Afsender').fill('Socialledelsen')
    await page.getByLabel('Beskrivelse').fill('Forslag til ny arbejdsmiljøstrategi for Socialområdet.')
    const lmu = page.getByRole('group', { name: 'Frist for LMU’ernes høringssvar' })
    await lmu.getByLabel('Dato').fill('2031-03-14')
    await lmu.getByLabel('Klokkeslæt').fill('12:00')
    const hmu = page.getByRole('group', { name: 'Frist for HMU’s høringssvar' })
    await hmu.getByLabel('Dato').fill('2031-03-28')
    await hmu.getByLabel('Klokkeslæt').fill('15:30')
    const invited = page.getByRole('group', { name: 'Inviterede LMU’er' }).getByRole('checkbox')
    assert.equal(await invited.count(), 9, 'the nine LMUs of HMU Socialområdet are offered')
    for (const box of await invited.all()) assert.ok(await box.isChecked(), 'every LMU is invited by default')
    await page.getByRole('checkbox', { name: /\(DOK\)/ }).uncheck()
    await page.getByRole('button', { name: 'Opret høring' }).click()

    await page.getByRole('heading', { level: 1, name: title }).waitFor()
    await page.getByTestId('hearing-state').filter({ hasText: 'Kladde' }).waitFor()
    const id = Number(new URL(page.url()).pathname.split('/').pop())
    const created = await apiFetch(page, 'GET', `/api/hearings/${id}`)
    assert.equal(created.status, 200)
    assert.equal(created.json.invited.length, 8, 'DOK was left out')
    // Deadlines entered in Danish time (CET in March) are stored in UTC.
    assert.equal(new Date(created.json.lmu_deadline).toISOString(), '2031-03-14T11:00:00.000Z')
    assert.equal(new Date(created.json.hmu_deadline).toISOString(), '2031-03-28T14:30:00.000Z')
    await page.getByText('14. marts 2031 kl. 12.00').waitFor()

    // A file that is not a PDF or DOCX is refused, and the page says why (the server's words).
    await page.getByLabel(/Tilføj fil/).setInputFiles({ name: 'noter.txt', mimeType: 'text/plain', buffer: Buffer.from('bare tekst') })
    await page.getByRole('button', { name: 'Upload fil' }).click()
    const refusal = page.getByRole('alert').filter({ hasText: 'Filen blev ikke uploadet' })
    await refusal.waitFor()
    assert.ok((await refusal.textContent()).length > 'Filen blev ikke uploadet:'.length + 5, 'the reason is shown')

    await page.getByLabel(/Tilføj fil/).setInputFiles({ name: 'høringsbrev.pdf', mimeType: 'application/pdf', buffer: tinyPdf() })
    await page.getByRole('button', { name: 'Upload fil' }).click()
    const files = page.getByTestId('files')
    await files.getByRole('link', { name: 'høringsbrev.pdf' }).waitFor()
    await page.getByRole('status').filter({ hasText: 'høringsbrev.pdf er uploadet' }).waitFor()
    assert.equal(await refusal.count(), 0, 'the earlier error is gone')
    const href = await files.getByRole('link', { name: 'høringsbrev.pdf' }).getAttribute('href')
    const download = await page.evaluate(async (u) => {
      const r = await fetch(u)
      return { status: r.status, head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) }
    }, href)
    assert.deepEqual(download, { status: 200, head: '%PDF-' }, 'the uploaded PDF downloads intact')

    // "Send i høring" asks first; cancelling changes nothing.
    await page.getByRole('button', { name: 'Send i høring' }).click()
    const dialog = page.getByRole('dialog', { name: 'Send høringen i høring?' })
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Annullér' }).click()
    await dialog.waitFor({ state: 'hidden' })
    assert.equal((await apiFetch(page, 'GET', `/api/hearings/${id}`)).json.state, 'draft')

    await page.getByRole('button', { name: 'Send i høring' }).click()
    await dialog.getByRole('button', { name: 'Send i høring' }).click()
    await page.getByTestId('hearing-state').filter({ hasText: 'I høring' }).waitFor()
    const board = page.getByTestId('board')
    await board.waitFor()
    assert.equal(await board.locator('tbody tr').count(), 8, 'one board row per invited LMU')
    assert.equal(await board.locator('tbody tr', { hasText: 'ikke startet' }).count(), 8)
    await page.getByTestId('audit').getByText('Sendt i høring').waitFor()

    // Collection ends by itself when every LMU has submitted or the LMU deadline passes; before
    // that the server offers no "Afslut indsamling" (can.close), the page shows none, and a
    // request to close anyway is refused with the reason.
    const opened = await apiFetch(page, 'GET', `/api/hearings/${id}`)
    assert.equal(opened.json.can.close, false, 'no closing before the deadline with LMUs outstanding')
    assert.equal(await page.getByRole('button', { name: 'Afslut indsamling' }).count(), 0)
    const forced = await apiFetch(page, 'POST', `/api/hearings/${id}/close`)
    assert.equal(forced.status, 409, forced.text)
    assert.match(forced.json.detail, /mangler at indsende/)
    assert.equal((await apiFetch(page, 'GET', `/api/hearings/${id}`)).json.state, 'collecting')
    await ctx.close()
  })
})

describe('one LMU writes its response', () => {
  const LMU = 'sbu'
  let secretariat, m1, m2, chair, outsider, hmuChair
  let responseId, name1

  before(async () => {
    secretariat = await newContext(browser, 'sekretariat')
    m1 = await newContext(browser, `${LMU}.medlem1`)
    m2 = await newContext(browser, `${LMU}.medlem2`)
    chair = await newContext(browser, `${LMU}.formand`)
    outsider = await newContext(browser, 'sua.medlem1')
    hmuChair = await newContext(browser, 'formand')
  })
  after(async () => {
    for (const c of [secretariat, m1, m2, chair, outsider, hmuChair]) await c?.close()
  })

  test('two members type into the same response and see each other’s text and caret', async () => {
    const p1 = await login(m1, demo.member(LMU, 1))
    const p2 = await login(m2, demo.member(LMU, 2))
    name1 = (await sessionOf(p1)).user.name
    const name2 = (await sessionOf(p2)).user.name
    responseId = await openOwnResponse(p1)
    assert.equal(await openOwnResponse(p2), responseId, 'both members open their LMU’s one response')

    // Each sees the other among those present.
    await p1.getByTestId('presence').getByText(name2).waitFor()
    await p2.getByTestId('presence').getByText(name1).waitFor()

    await recordSaveStates(p1)
    await recordSaveStates(p2)
    await editor(p1).click()
    await p1.keyboard.press('Control+End')
    await p1.keyboard.type('Medlem et: vi støtter visionen om faglig udvikling.')
    await editor(p2).getByText('Medlem et: vi støtter visionen om faglig udvikling.').waitFor()

    await editor(p2).click()
    await p2.keyboard.press('Control+End')
    await p2.keyboard.press('Enter')
    await p2.keyboard.type('Medlem to: husk arbejdsmiljøet.')
    await editor(p1).getByText('Medlem to: husk arbejdsmiljøet.').waitFor()

    // Carets: each sees the other's, labelled with the name, and not their own.
    await editor(p1).locator(`.collaboration-carets__caret[data-user="${name2}"]`).waitFor()
    await editor(p2).locator(`.collaboration-carets__caret[data-user="${name1}"]`).waitFor()
    assert.equal(await editor(p1).locator(`.collaboration-carets__caret[data-user="${name1}"]`).count(), 0)

    // "Gemmer…" while changes are unacknowledged, then "Gemt"; and what "Gemt" promises holds:
    // the server's committed content has the text.
    for (const p of [p1, p2]) {
      const states = await waitSaved(p)
      assert.ok(states.includes('false'), `"Gemmer…" was shown while saving: ${states}`)
      assert.equal(states.at(-1), 'true')
    }
    // A change that only deletes advances no clock; it is saved when the server acknowledges it.
    await p2.keyboard.type(' (slet mig)')
    await waitSaved(p2)
    await recordSaveStates(p2)
    for (let i = 0; i < ' (slet mig)'.length; i++) await p2.keyboard.press('Backspace')
    const afterDelete = await waitSaved(p2)
    assert.ok(afterDelete.includes('false'), `"Gemmer…" was shown for a deletion: ${afterDelete}`)
    await editor(p1).getByText('slet mig').waitFor({ state: 'detached' })

    const doc = (await apiFetch(p1, 'GET', `/api/responses/${responseId}`)).json.document_id
    const committed = await apiFetch(p1, 'GET', `/api/documents/${encodeURIComponent(doc)}/content`)
    assert.equal(committed.status, 200, committed.text)
    assert.ok(committed.text.includes('Medlem et: vi støtter visionen om faglig udvikling.'), committed.text.slice(0, 300))
    assert.ok(committed.text.includes('Medlem to: husk arbejdsmiljøet.'), committed.text.slice(0, 300))
    assert.ok(!committed.text.includes('slet mig'), 'the deletion is committed')

    // The text survives a reload.
    await p1.reload()
    await editorReady(p1)
    await editor(p1).getByText('Medlem to: husk arbejdsmiljøet.').waitFor()
    await editor(p1).getByText('Medlem et: vi støtter visionen om faglig udvikling.').waitFor()
  })

  test('a member of another LMU cannot open the draft, by link or by API', async () => {
    assert.ok(responseId, 'the previous test found the response')
    const page = await login(outsider, demo.member('sua', 1))
    const doc = (await apiFetch((await m1.pages())[0], 'GET', `/api/responses/${responseId}`)).json.document_id
    assert.ok(doc, 'the members see their document id')

    await page.goto(`/svar/${responseId}`)
    await page.getByRole('heading', { level: 1, name: 'Ingen adgang' }).waitFor()
    await page.getByTestId('no-access').waitFor()
    assert.equal(await page.locator('#response-editor').count(), 0, 'no editor is shown')

    const viaApi = await apiFetch(page, 'GET', `/api/responses/${responseId}`)
    assert.ok([403, 404].includes(viaApi.status), `GET /api/responses: ${viaApi.status}`)
    const content = await apiFetch(page, 'GET', `/api/documents/${encodeURIComponent(doc)}/content`)
    assert.ok([403, 404].includes(content.status), `GET /api/documents/…/content: ${content.status}`)
    assert.ok(!content.text.includes('Medlem et'), 'no text leaks')
    const submit = await apiFetch(page, 'POST', `/api/responses/${responseId}/submit`)
    assert.ok([403, 404].includes(submit.status), `POST submit: ${submit.status}`)

    // The live document refuses the WebSocket with a 44xx close code.
    const closed = await page.evaluate(
      (doc) =>
        new Promise((resolve) => {
          const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/ws/${doc}?ack=1`)
          ws.binaryType = 'arraybuffer'
          let received = 0
          ws.onmessage = () => received++
          ws.onclose = (e) => resolve({ code: e.code, received })
        }),
      doc,
    )
    assert.ok(closed.code >= 4400 && closed.code < 4500, `WebSocket closed with ${closed.code}`)
    assert.equal(closed.received, 0, 'nothing of the document was sent')
  })

  test('the LMU chair submits; the board shows it to the secretariat live, the members go read-only', async () => {
    const sec = await login(secretariat, demo.secretariat)
    const hearing = await demoHearing(sec)
    await sec.goto(`/hoeringer/${hearing.id}`)
    const row = sec.getByTestId('board').locator('tbody tr[data-committee="SBU"]')
    await row.getByText('i gang').waitFor()
    // Who has the response open right now (the members from the first test still have).
    await row.getByText(name1).waitFor()
    await sec.evaluate(() => {
      window.__noReload = true
    })

    const p = await login(chair, demo.chair(LMU))
    assert.equal(await openOwnResponse(p), responseId)
    await editor(p).getByText('Medlem to: husk arbejdsmiljøet.').waitFor()
    await p.getByRole('button', { name: 'Indsend høringssvar' }).click()
    const dialog = p.getByRole('dialog', { name: 'Indsend høringssvaret?' })
    await dialog.getByText(/skrivebeskyttet/).waitFor()
    await dialog.getByRole('button', { name: 'Indsend', exact: true }).click()
    await dialog.waitFor({ state: 'hidden' })

    await p.getByTestId('response-status').getByText('indsendt').waitFor()
    await p.getByTestId('readonly-notice').waitFor()
    await p.locator('#response-editor[contenteditable="false"]').waitFor()
    assert.equal(await p.getByRole('button', { name: 'Indsend høringssvar' }).count(), 0)
    await editor(p).getByText('Medlem et: vi støtter visionen om faglig udvikling.').waitFor()

    // The secretariat's board changed without a reload.
    await row.locator('[data-status^="submitted"]').waitFor()
    assert.ok(await sec.evaluate(() => window.__noReload === true), 'the board page was not reloaded')
    await row.getByText(/af /).waitFor()

    // A member who still has the response open sees it turn read-only.
    const member = (await m1.pages())[0]
    await member.getByTestId('readonly-notice').waitFor()
    await member.locator('#response-editor[contenteditable="false"]').waitFor()

    // The submitted text is the server's: read it back.
    const r = await apiFetch(member, 'GET', `/api/responses/${responseId}`)
    assert.equal(r.json.access, 'ro')
    assert.ok(['submitted', 'submitted_late'].includes(r.json.status))
    const content = await apiFetch(member, 'GET', `/api/documents/${encodeURIComponent(r.json.document_id)}/content`)
    assert.equal(content.status, 200)
    assert.ok(content.text.includes('Medlem to: husk arbejdsmiljøet.'), content.text.slice(0, 400))
  })

  test('an HMU chair opens the submitted response from the board, read-only', async () => {
    const page = await login(hmuChair, demo.hmuChair)
    const hearing = await demoHearing(page)
    await page.goto(`/hoeringer/${hearing.id}`)
    const board = page.getByTestId('board')
    // Drafts are not links; the submitted SBU response is.
    await board.locator('tbody tr[data-committee="SVO"]').waitFor()
    assert.equal(await board.locator('tbody tr[data-committee="SVO"] a').count(), 0)
    await board.locator('tbody tr[data-committee="SBU"]').getByRole('link').click()
    await page.getByRole('heading', { level: 1, name: /^Høringssvar fra / }).waitFor()
    assert.equal(new URL(page.url()).pathname, `/svar/${responseId}`)
    await editorReady(page)
    await editor(page).getByText('Medlem to: husk arbejdsmiljøet.').waitFor()
    await page.getByTestId('readonly-notice').waitFor()
    await page.locator('#response-editor[contenteditable="false"]').waitFor()
    assert.equal(await page.getByRole('toolbar').count(), 0, 'no formatting toolbar when reading')
    assert.equal(await page.getByRole('button', { name: 'Indsend høringssvar' }).count(), 0)
  })

  test('the secretariat reopens the response; the members can write again', async () => {
    const sec = (await secretariat.pages())[0]
    await sec.goto(`/svar/${responseId}`)
    await sec.getByTestId('readonly-notice').waitFor()
    await sec.getByRole('button', { name: 'Genåbn høringssvaret' }).click()
    await sec.getByRole('dialog', { name: 'Genåbn høringssvaret?' }).getByRole('button', { name: 'Genåbn' }).click()
    await sec.getByRole('status').getByText('Høringssvaret er genåbnet').waitFor()

    // The member's open page becomes editable again, without a reload.
    const member = (await m1.pages())[0]
    await member.getByTestId('readonly-notice').waitFor({ state: 'detached' })
    await member.locator('#response-editor[contenteditable="true"]').waitFor()
    await editorReady(member)
    await recordSaveStates(member)
    await editor(member).click()
    await member.keyboard.press('Control+End')
    await member.keyboard.type(' Tilføjet efter genåbning.')
    await waitSaved(member)
    const r = await apiFetch(member, 'GET', `/api/responses/${responseId}`)
    assert.equal(r.json.access, 'rw')
    assert.equal(r.json.status, 'draft')
  })
})

test('the open demo hearing is listed with the LMU’s response status', async () => {
  const ctx = await newContext(browser, 'svo.medlem1')
  const page = await login(ctx, demo.member('svo', 1))
  const card = page.locator('.card', { has: page.getByRole('heading', { name: OPEN_HEARING }) })
  await card.getByTestId('hearing-state').getByText('I høring').waitFor()
  await card.getByRole('link', { name: /Høringssvar fra/ }).waitFor()
  await card.locator('[data-status]').first().waitFor()
  await ctx.close()
})
