// The editor when the server refuses for good: run against a server started with a small
// --max-document-bytes (tests/browser.rs), so a large paste closes the socket with 4413.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { apiFetch, assertAccessible, demo, editor, launch, login, newContext, openOwnResponse, waitSaved, recordSaveStates } from './lib.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

test('a change that makes the document too large closes the editor with a Danish reason', async () => {
  const limit = Number(process.env.SAMSKRIV_MAX_DOCUMENT_BYTES)
  assert.ok(limit > 0, 'tests/browser.rs passes the server’s --max-document-bytes')
  const ctx = await newContext(browser, 'svo.medlem2')
  const page = await login(ctx, demo.member('svo', 2))
  const id = await openOwnResponse(page)
  await recordSaveStates(page)
  await editor(page).click()
  await page.keyboard.type('Det her når at blive gemt.')
  await waitSaved(page)

  // One paste far over the limit: the server refuses it and closes with 4413.
  await page.keyboard.insertText(' Meget lang tekst.'.repeat(Math.ceil((limit * 2) / 18)))
  const reason = page.getByTestId('close-reason')
  await reason.waitFor()
  assert.match(await reason.textContent(), /for stort/)
  await page.getByTestId('connection').filter({ hasText: 'Afbrudt' }).waitFor()
  await page.locator('#response-editor[contenteditable="false"]').waitFor()
  assert.equal(await page.getByTestId('save-state').count(), 0, 'no "Gemt" is claimed after the refusal')
  for (const b of await page.getByRole('toolbar').getByRole('button').all()) assert.ok(await b.isDisabled())
  await assertAccessible(page, 'editor closed by the server')

  // What was saved before is kept; the refused paste is not.
  const doc = (await apiFetch(page, 'GET', `/api/responses/${id}`)).json.document_id
  const content = await apiFetch(page, 'GET', `/api/documents/${encodeURIComponent(doc)}/content`)
  assert.equal(content.status, 200)
  assert.ok(content.text.includes('Det her når at blive gemt.'))
  assert.ok(!content.text.includes('Meget lang tekst'))

  // "Genindlæs siden" brings back the saved text, editable again.
  await page.getByRole('button', { name: 'Genindlæs siden' }).click()
  await page.getByTestId('connection').filter({ hasText: 'Forbundet' }).waitFor()
  await editor(page).getByText('Det her når at blive gemt.').waitFor()
  assert.equal(await editor(page).getByText('Meget lang tekst').count(), 0)
  await page.locator('#response-editor[contenteditable="true"]').waitFor()
  await ctx.close()
})
