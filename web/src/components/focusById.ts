/**
 * Moves focus to the element with `id` once it is on the page (after a re-render or a reload):
 * forms open and close in place, and focus must not fall back to the start of the page.
 */
export function focusById(id: string, tries = 30) {
  const el = document.getElementById(id)
  if (el) el.focus()
  else if (tries > 0) requestAnimationFrame(() => focusById(id, tries - 1))
}
