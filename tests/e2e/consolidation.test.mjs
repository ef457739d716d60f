// The chairs consolidate the LMU responses, in real browsers against the real server (demo data:
// the seed hearing with all nine LMU responses submitted and an empty joint response). A chair
// takes passages from two LMUs into the draft at the cursor, splits, joins and rewords them, and
// the provenance report still attributes both and counts their points as reflected; the other
// chair sees it all live; "Vis ændringer siden" a named version shows the inserted text with
// the chair's name; axe-core finds nothing serious; a passage is taken with the keyboard alone;
// and the draft is shared with the HMU.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  apiFetch,
  assertAccessible,
  CONSOLIDATING_HEARING,
  demo,
  demoHearing,
  editor,
  editorReady,
  focused,
  launch,
  login,
  newContext,
  recordSaveStates,
  sessionOf,
  tabTo,
  waitSaved,
} from './lib.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

/** Block index of the first block of `committee`'s submitted response whose text starts so. */
function findBlock(workspace, committee, start) {
  const r = workspace.responses.find((x) => x.committee.short_name === committee)
  assert.ok(r, `${committee} has submitted`)
  const i = r.blocks.blocks.findIndex((b) => b.inlines.map((x) => x.text).join('').startsWith(start))
  assert.ok(i >= 0, `${committee} has a block starting "${start}"`)
  return { index: i, text: r.blocks.blocks[i].inlines.map((x) => x.text).join(''), version: r.version_id }
}

async function coverage(page, hearingId) {
  const r = await apiFetch(page, 'GET', `/api/hearings/${hearingId}/provenance`)
  assert.equal(r.status, 200, r.text)
  return r.json.report
}

/** The text of the document's first paragraphs as the server has committed them. */
async function committed(page, documentId) {
  const r = await apiFetch(page, 'GET', `/api/documents/${encodeURIComponent(documentId)}/content`)
  assert.equal(r.status, 200, r.text)
  return r.json.default
}

/** Every text run of a committed ProseMirror-shaped document, with its marks. */
function runs(nodes, out = []) {
  for (const n of nodes ?? []) {
    if (typeof n.text === 'string' && n.text) out.push({ text: n.text, provenance: n.marks?.provenance ?? null })
    runs(n.content, out)
  }
  return out
}

async function openWorkspace(page, hearingId) {
  await page.goto(`/hoeringer/${hearingId}`)
  await page.getByRole('link', { name: /Saml høringssvarene/ }).click()
  await page.getByRole('heading', { level: 1, name: 'Samling af høringssvar' }).waitFor()
  await editorReady(page)
  await page.getByTestId('lmu-panel').waitFor()
}

async function selectTab(page, committee) {
  await page.getByRole('tab', { name: new RegExp(`^${committee}\\b`) }).click()
  await page.getByRole('tabpanel').getByRole('heading', { level: 3 }).waitFor()
}

describe('a chair builds the joint response', () => {
  let chair1, chair2
  let p1, p2
  let hearing, workspace, sbu, svo, sbuItem, documentId, chairName, before0

  before(async () => {
    chair1 = await newContext(browser, 'formand')
    chair2 = await newContext(browser, 'naestformand')
  })
  after(async () => {
    await chair1?.close()
    await chair2?.close()
  })

  test('takes passages from two LMUs at the cursor, splits, joins and rewords one; the report attributes both', async () => {
    p1 = await login(chair1, demo.hmuChair)
    chairName = (await sessionOf(p1)).user.name
    hearing = await demoHearing(p1, CONSOLIDATING_HEARING)
    assert.equal(hearing.state, 'consolidating')
    const w = await apiFetch(p1, 'GET', `/api/hearings/${hearing.id}/consolidation`)
    assert.equal(w.status, 200, w.text)
    workspace = w.json
    documentId = workspace.joint_document_id
    assert.equal(workspace.responses.length, 9, 'all nine LMU responses are there')
    assert.deepEqual(runs(await committed(p1, documentId)), [], 'the joint response starts empty')
    sbu = findBlock(workspace, 'SBU', 'SBU oplever, ligesom andre specialområder')
    svo = findBlock(workspace, 'SVO', 'Planen bygger på en nutidig')
    sbuItem = findBlock(workspace, 'SBU', 'at arbejdsmiljøet følges tæt')
    before0 = await coverage(p1, hearing.id)
    const count = (report, c) => report.committees.find((x) => x.committee === c).reflected
    assert.equal(count(before0, 'SBU'), 0)
    assert.equal(count(before0, 'SVO'), 0)

    await openWorkspace(p1, hearing.id)
    assert.equal(new URL(p1.url()).pathname, `/hoeringer/${hearing.id}/samling`)

    // A named version to compare with later.
    await p1.getByLabel('Navn på ny version').fill('Før samlingen')
    await p1.getByRole('button', { name: 'Gem version' }).click()
    await p1.getByTestId('workspace-status').filter({ hasText: 'Versionen “Før samlingen” er gemt' }).waitFor()

    // The cursor in the (empty) draft, then SBU's passage, then SVO's after it.
    await editor(p1).click()
    await selectTab(p1, 'SBU')
    await p1.getByRole('button', { name: `Indsæt i udkastet: SBU, afsnit ${sbu.index + 1}`, exact: true }).click()
    await p1.getByTestId('workspace-status').filter({ hasText: `Afsnit ${sbu.index + 1} fra SBU er indsat i udkastet ved markøren` }).waitFor()
    await selectTab(p1, 'SVO')
    await p1.getByRole('button', { name: `Indsæt i udkastet: SVO, afsnit ${svo.index + 1}`, exact: true }).click()
    await p1.getByTestId('workspace-status').filter({ hasText: `Afsnit ${svo.index + 1} fra SVO er indsat` }).waitFor()

    const paragraphs = editor(p1).locator('p')
    await paragraphs.nth(1).waitFor()
    assert.equal(await paragraphs.count(), 2, 'the empty paragraph was replaced; SVO went after SBU')
    assert.match(await paragraphs.nth(0).textContent(), /SBU oplever/)
    assert.match(await paragraphs.nth(1).textContent(), /Planen bygger på en nutidig/)
    // Shown quietly: an underline with a tooltip, and a label screen readers read with the text.
    const sbuMark = paragraphs.nth(0).locator('.provenance[data-committee="SBU"]')
    assert.equal(await sbuMark.getAttribute('title'), `Tekst fra SBU, afsnit ${sbu.index + 1}`)
    assert.equal(
      (await paragraphs.nth(0).locator('.provenance-label').textContent()).replace(/\s+/g, ' '),
      `Tekst fra SBU, afsnit ${sbu.index + 1}: `,
    )
    // The LMU panel knows what is in the draft.
    const svoBlock = p1.getByTestId('lmu-panel').locator(`li[data-block="${svo.index}"]`)
    await svoBlock.getByText('Indsat i udkastet').waitFor()
    await p1.getByRole('tab', { name: /^SBU 1 indsat/ }).waitFor()

    // Split the SBU paragraph (Enter inside it) and join it again (Backspace): both halves keep
    // the mark, and so does the joined paragraph.
    await recordSaveStates(p1)
    await sbuMark.click({ position: { x: 160, y: 8 } })
    await p1.keyboard.press('End')
    await p1.keyboard.press('Enter')
    await paragraphs.nth(2).waitFor()
    assert.equal(await editor(p1).locator('p .provenance[data-committee="SBU"]').count(), 2, 'both halves are marked')
    assert.equal(await editor(p1).locator('p .provenance-label[data-committee="SBU"]').count(), 2)
    await p1.keyboard.press('Backspace')
    await paragraphs.nth(2).waitFor({ state: 'detached' })
    assert.equal(await editor(p1).locator('p .provenance[data-committee="SBU"]').count(), 1)

    // Reword SVO's passage: type inside it (mid-paragraph, at the end of its first line).
    const svoMark = paragraphs.nth(1).locator('.provenance[data-committee="SVO"]')
    await svoMark.click({ position: { x: 160, y: 8 } })
    await p1.keyboard.press('End')
    const reworded = ' – og det er formandskabet helt enig i –'
    await p1.keyboard.type(reworded)
    await p1.getByTestId('cursor-origin').filter({ hasText: `Ved markøren: tekst fra SVO, afsnit ${svo.index + 1}` }).waitFor()
    await waitSaved(p1)

    // What the server has: the typed text inside SVO's mark; SBU's text whole again and marked.
    const text = runs(await committed(p1, documentId))
    const svoRuns = text.filter((r) => r.provenance?.committee === 'SVO')
    assert.ok(svoRuns.length > 0 && svoRuns.every((r) => r.provenance.version === svo.version && r.provenance.block === svo.index))
    const svoText = svoRuns.map((r) => r.text).join('')
    assert.ok(svoText.includes(reworded.trim()), `the typed words carry SVO's mark: ${svoText}`)
    assert.notEqual(svoText, svo.text, 'the passage is reworded')
    assert.equal(text.filter((r) => r.provenance?.committee === 'SBU').map((r) => r.text).join(''), sbu.text)
    assert.ok(text.every((r) => r.provenance), 'no text without its origin')

    // The report page: both paragraphs attributed, the coverage counts moved.
    await p1.getByRole('link', { name: 'Proveniensrapport' }).click()
    await p1.getByRole('heading', { level: 1, name: 'Proveniensrapport' }).waitFor()
    const rows = p1.getByTestId('paragraphs').locator('tbody tr')
    await rows.nth(1).waitFor()
    assert.equal(await rows.count(), 2)
    assert.equal(await rows.nth(0).getAttribute('data-committees'), 'SBU')
    assert.equal(await rows.nth(1).getAttribute('data-committees'), 'SVO')
    const sbuSource = rows.nth(0).locator('li[data-how="mark"][data-committee="SBU"]')
    assert.match(await sbuSource.textContent(), new RegExp(`SBU, afsnit ${sbu.index + 1}: taget fra svaret \\(100 % af teksten; uændret\\)`))
    const svoSource = rows.nth(1).locator('li[data-how="mark"][data-committee="SVO"]')
    assert.match(await svoSource.textContent(), /SVO, afsnit \d+: taget fra svaret \(100 % af teksten; omformuleret, \d+ % ens med originalen\)/)

    const after1 = await coverage(p1, hearing.id)
    for (const c of ['SBU', 'SVO']) {
      const was = before0.committees.find((x) => x.committee === c)
      const now = after1.committees.find((x) => x.committee === c)
      assert.ok(now.reflected >= was.reflected + 1, `${c}: ${was.text} → ${now.text}`)
      const row = p1.getByTestId('coverage').locator(`tr[data-committee="${c}"]`)
      assert.equal((await row.getByTestId('coverage-text').textContent()).trim(), now.text)
      assert.match(now.text, new RegExp(`^${c}: ${now.reflected} af ${now.points} punkter afspejlet$`))
    }
    const taken = { SBU: sbu.index, SVO: svo.index }
    for (const [c, block] of Object.entries(taken)) {
      const item = after1.committees.find((x) => x.committee === c).items.find((p) => p.block === block)
      assert.ok(item.reflected && item.by.some((b) => b.how === 'mark'), `${c}'s taken point is reflected by its mark`)
      const section = p1.locator(`section.coverage[data-committee="${c}"]`)
      assert.equal(await section.getByTestId('unreflected').locator(`li[data-block="${block}"]`).count(), 0)
      assert.equal(await section.getByTestId('reflected').locator(`li[data-block="${block}"]`).count(), 1)
    }
    // SBU went from 0 to at least 1, as its heading says on the page.
    const sbuNow = after1.committees.find((x) => x.committee === 'SBU')
    await p1.getByRole('heading', { level: 3, name: sbuNow.text }).waitFor()
  })

  test('a point not reflected links to the workspace, which opens at it', async () => {
    const section = p1.locator('section.coverage[data-committee="SBU"]')
    const open = section.getByTestId('unreflected').locator('li').first()
    const block = Number(await open.getAttribute('data-block'))
    await open.getByRole('link', { name: `Tag stilling i samlingen: SBU, afsnit ${block + 1}` }).click()
    await p1.getByRole('heading', { level: 1, name: 'Samling af høringssvar' }).waitFor()
    await editorReady(p1)
    assert.equal(await p1.getByRole('tab', { selected: true }).getAttribute('id'), 'tab-sbu')
    await p1.waitForFunction((b) => document.activeElement?.getAttribute('data-block') === String(b), block)
  })

  test('the other chair sees the passages live, and a new one appear', async () => {
    p2 = await login(chair2, 'naestformand@demo.samskriv.dk')
    const name2 = (await sessionOf(p2)).user.name
    await openWorkspace(p2, hearing.id)
    await editor(p2).getByText('SBU oplever, ligesom andre').waitFor()
    await editor(p2).locator('.provenance[data-committee="SVO"]').getByText('formandskabet helt enig').waitFor()
    await p2.getByTestId('presence').getByText(chairName).waitFor()
    await p1.getByTestId('presence').getByText(name2).waitFor()
    await p2.evaluate(() => {
      window.__noReload = true
    })

    // Chair 1 takes a list item from SBU at the end of the draft (the server inserts it).
    await selectTab(p1, 'SBU')
    await p1.getByRole('radio', { name: 'sidst i udkastet' }).check()
    await p1.getByRole('button', { name: `Indsæt i udkastet: SBU, afsnit ${sbuItem.index + 1}`, exact: true }).click()
    await p1.getByTestId('workspace-status').filter({ hasText: `Afsnit ${sbuItem.index + 1} fra SBU er indsat sidst i udkastet` }).waitFor()
    await p1.getByRole('radio', { name: 'ved markøren' }).check()

    // Chair 2 sees it arrive, marked, and the LMU panel counts it, without a reload.
    const item = editor(p2).locator('ul li', { hasText: 'at arbejdsmiljøet følges tæt' })
    await item.waitFor()
    assert.equal(await item.locator('.provenance').getAttribute('data-committee'), 'SBU')
    await selectTab(p2, 'SBU')
    await p2.getByTestId('lmu-panel').locator(`li[data-block="${sbuItem.index}"]`).getByText('Indsat i udkastet').waitFor()
    await p2.getByRole('tab', { name: /^SBU 2 indsat/ }).waitFor()
    assert.ok(await p2.evaluate(() => window.__noReload === true), 'the page was not reloaded')

    // Chair 2 writes a sentence of their own: unmarked.
    await recordSaveStates(p2)
    await editor(p2).click()
    await p2.keyboard.press('Control+End')
    await p2.keyboard.press('Enter')
    await p2.keyboard.press('Enter')
    await p2.keyboard.type('Formandskabet samler op på mødet.')
    await waitSaved(p2)
    await editor(p1).getByText('Formandskabet samler op på mødet.').waitFor()
    const own = runs(await committed(p2, documentId)).find((r) => r.text.includes('Formandskabet samler op'))
    assert.equal(own.provenance, null, 'typed text outside a passage has no origin')
    await p2.getByTestId('cursor-origin').filter({ hasText: 'formandskabets egen tekst' }).waitFor()
  })

  test('"Vis ændringer siden" a named version shows the inserted text with who inserted it', async () => {
    const name2 = (await sessionOf(p2)).user.name
    const toggle = p2.getByRole('switch', { name: 'Vis ændringer siden' })
    const select = p2.getByLabel('Version at vise ændringer siden')
    await select.selectOption(await select.locator('option', { hasText: 'Før samlingen' }).getAttribute('value'))
    await toggle.check()
    const view = p2.getByTestId('tracked-changes')
    await view.getByRole('heading', { level: 3, name: 'Ændringer siden “Før samlingen”' }).waitFor()
    const ins = view.locator('ins', { hasText: 'SBU oplever, ligesom andre' })
    await ins.waitFor()
    assert.match(await ins.textContent(), new RegExp(`^indsat af ${chairName}: SBU oplever`))
    const own = view.locator('ins', { hasText: 'Formandskabet samler op på mødet.' })
    assert.match(await own.textContent(), new RegExp(`^indsat af ${name2}: Formandskabet samler op`))
    // The editor is set aside while the changes are shown, and comes back.
    await editor(p2).waitFor({ state: 'hidden' })

    // The list beside it: each change, what and who.
    const list = p2.getByTestId('change-list').locator('li')
    await list.first().waitFor()
    const items = await list.allTextContents()
    assert.ok(items.some((t) => t.startsWith('Indsat afsnit 1') && t.includes(`af ${chairName}`) && t.includes('SBU oplever')), items.join('\n'))
    assert.ok(items.some((t) => t.includes(`af ${name2}`) && t.includes('Formandskabet samler op')), items.join('\n'))
    // A change in the list leads to it in the text.
    await list.first().getByRole('link').click()
    assert.equal((await focused(p2)).id, 'aendring-1')

    // It follows the live text: chair 1 types, chair 2's change list grows.
    await editor(p1).click()
    await p1.keyboard.press('Control+End')
    await p1.keyboard.press('Enter')
    await p1.keyboard.type('Tilføjet mens ændringerne vises.')
    await view.locator('ins', { hasText: 'Tilføjet mens ændringerne vises.' }).waitFor()

    await toggle.uncheck()
    await editor(p2).waitFor()
    await view.waitFor({ state: 'detached' })
  })
})

describe('accessibility and the keyboard', () => {
  test('axe-core: the workspace (per LMU, by section, with changes, the share dialog) and the report', async () => {
    const ctx = await newContext(browser, 'formand-axe')
    const page = await login(ctx, demo.hmuChair)
    const h = await demoHearing(page, CONSOLIDATING_HEARING)
    await page.goto(`/hoeringer/${h.id}`)
    await page.getByTestId('consolidation-links').waitFor()
    await assertAccessible(page, 'hearing page of a consolidating hearing (HMU chair)')
    await openWorkspace(page, h.id)
    await assertAccessible(page, 'workspace, per LMU')
    await page.getByRole('radio', { name: 'Efter udkastets afsnit' }).check()
    await page.getByTestId('by-section').waitFor()
    await assertAccessible(page, 'workspace, by section')
    await page.getByRole('radio', { name: 'Pr. LMU' }).check()
    await page.getByRole('switch', { name: 'Vis ændringer siden' }).check()
    await page.getByTestId('change-list').waitFor()
    await page.getByTestId('tracked-changes').locator('.samskriv-diff').waitFor()
    await assertAccessible(page, 'workspace showing changes')
    await page.getByRole('switch', { name: 'Vis ændringer siden' }).uncheck()
    await page.getByRole('button', { name: 'Del med HMU' }).click()
    await page.getByRole('dialog', { name: 'Del udkastet med HMU?' }).waitFor()
    await assertAccessible(page, 'share dialog')
    await page.keyboard.press('Escape')
    await page.getByRole('dialog').waitFor({ state: 'hidden' })

    await page.getByRole('link', { name: 'Proveniensrapport' }).click()
    await page.getByTestId('coverage').waitFor()
    await assertAccessible(page, 'provenance report')
    // Headings in order: one h1, no level skipped.
    const levels = await page.locator('main h1, main h2, main h3, main h4').evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])))
    assert.equal(levels[0], 1)
    for (let i = 1; i < levels.length; i++) assert.ok(levels[i] <= levels[i - 1] + 1, `heading levels ${levels.join(',')}`)
    await ctx.close()
  })

  test('an LMU member gets no workspace', async () => {
    const ctx = await newContext(browser, 'svo.medlem1')
    const page = await login(ctx, demo.member('svo', 1))
    const h = await demoHearing(page, CONSOLIDATING_HEARING)
    const w = await apiFetch(page, 'GET', `/api/hearings/${h.id}/consolidation`)
    assert.ok([403, 404].includes(w.status), `GET consolidation: ${w.status}`)
    await page.goto(`/hoeringer/${h.id}/samling`)
    await page.getByRole('heading', { level: 1, name: 'Ingen adgang' }).waitFor()
    assert.equal(await page.locator('#response-editor').count(), 0)
    await assertAccessible(page, 'workspace without access')
    await ctx.close()
  })

  test('keyboard only: choose an LMU with the arrow keys and take a passage', async () => {
    const ctx = await newContext(browser, 'naestformand-kbd')
    const page = await login(ctx, 'naestformand@demo.samskriv.dk')
    const h = await demoHearing(page, CONSOLIDATING_HEARING)
    const ws = (await apiFetch(page, 'GET', `/api/hearings/${h.id}/consolidation`)).json
    const dok = ws.responses.find((r) => r.committee.short_name === 'DOK')
    const first = dok.blocks.blocks.findIndex((b, i) => i > 0 && b.inlines.some((x) => x.text.trim()))
    const firstText = dok.blocks.blocks[first].inlines.map((x) => x.text).join('')
    await page.goto(`/hoeringer/${h.id}`)
    await tabTo(page, (f) => f.tag === 'a' && f.text.startsWith('Saml høringssvarene'), { what: 'the workspace link' })
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'Samling af høringssvar' }).waitFor()
    assert.equal((await focused(page)).tag, 'h1', 'focus moves to the new page’s heading')
    await editorReady(page)

    // The cursor at the end of the draft, then into the tab list (one stop), End for the last LMU.
    await tabTo(page, (f) => f.id === 'response-editor', { what: 'the editor' })
    await page.keyboard.press('Control+End')
    await tabTo(page, (f) => f.tag === 'button' && /^SVO/.test(f.text), { what: 'the selected tab' })
    await page.keyboard.press('End')
    assert.match((await focused(page)).text, /^DOK/)
    await page.getByRole('tab', { name: /^DOK/, selected: true }).waitFor()
    await page.keyboard.press('ArrowRight')
    assert.match((await focused(page)).text, /^SVO/, 'the arrows wrap around')
    await page.keyboard.press('ArrowLeft')
    assert.match((await focused(page)).text, /^DOK/)

    const name = `Indsæt i udkastet: DOK, afsnit ${first + 1}`
    await tabTo(page, (f) => f.text === name, { what: name })
    await page.keyboard.press('Enter')
    await page.getByTestId('workspace-status').filter({ hasText: `Afsnit ${first + 1} fra DOK er indsat i udkastet ved markøren` }).waitFor()
    assert.equal((await focused(page)).text, name, 'focus stays on the button')
    await editor(page).locator('.provenance[data-committee="DOK"]').first().waitFor()
    const last = editor(page).locator(':scope > *').last()
    assert.equal(await last.textContent(), `Tekst fra DOK, afsnit ${first + 1}: ${firstText}`)
    await page.getByTestId('lmu-panel').locator(`li[data-block="${first}"]`).getByText('Indsat i udkastet').waitFor()
    await ctx.close()
  })
})

describe('sharing with the HMU', () => {
  test('"Del med HMU" asks first, then shares the draft for review', async () => {
    const ctx = await newContext(browser, 'formand-share')
    const page = await login(ctx, demo.hmuChair)
    const h = await demoHearing(page, CONSOLIDATING_HEARING)
    await openWorkspace(page, h.id)
    await page.getByRole('button', { name: 'Del med HMU' }).click()
    const dialog = page.getByRole('dialog', { name: 'Del udkastet med HMU?' })
    await dialog.getByRole('button', { name: 'Annullér' }).click()
    await dialog.waitFor({ state: 'hidden' })
    assert.equal((await apiFetch(page, 'GET', `/api/hearings/${h.id}`)).json.state, 'consolidating')

    await page.getByRole('button', { name: 'Del med HMU' }).click()
    await dialog.getByLabel('Navn på versionen (valgfrit)').fill('Udkast 1 til HMU-mødet')
    await dialog.getByRole('button', { name: 'Del med HMU' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.getByTestId('workspace-status').filter({ hasText: 'Udkastet er delt med HMU' }).waitFor()
    const review = page.getByRole('link', { name: 'Gå til gennemsyn' })
    assert.equal(await review.getAttribute('href'), `/hoeringer/${h.id}/gennemsyn`)
    await page.getByTestId('hearing-state').filter({ hasText: 'Til gennemsyn' }).waitFor()
    const after = await apiFetch(page, 'GET', `/api/hearings/${h.id}`)
    assert.equal(after.json.state, 'in_review')
    const versions = (await apiFetch(page, 'GET', `/api/documents/${after.json.joint_document_id}/versions`)).json
    assert.ok(versions.some((v) => v.kind === 'shared' && v.name === 'Udkast 1 til HMU-mødet'), JSON.stringify(versions))
    // Still the chairs' to revise: the editor stays editable in review.
    await page.locator('#response-editor[contenteditable="true"]').waitFor()
    await ctx.close()
  })
})
