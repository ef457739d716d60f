// Canonical, implementation-independent JSON form of a Samskriv document.
//
// The Rust server produces exactly the same shape from its yrs document and
// the Rust integration tests compare the two as JSON values:
//
//   {
//     "text":    ydoc.getText('text').toString(),
//     "default": [ <node>, ... ]          // children of ydoc.getXmlFragment('default')
//   }
//
// where a node is either
//   - a Y.XmlElement:  { "type": nodeName, "attrs": { ...attributes }, "content": [ <node>, ... ] }
//     ("attrs" is always present, possibly {}), or
//   - one entry per op of a Y.XmlText's toDelta():
//                      { "text": op.insert, "marks": op.attributes || {} }
//     (an XmlText contributes zero or more entries, spliced into the parent's list).
//
// Object keys (attrs, marks) are emitted in sorted order so that the output is
// byte-stable regardless of the order in which attributes were integrated.
// Only string inserts are supported inside XmlText: embeds fail loudly.

import * as Y from 'yjs'

/**
 * Recursively copies a JSON-like value, sorting object keys.
 * @param {any} value
 * @returns {any}
 */
export const sortKeys = (value) => {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    if (value instanceof Uint8Array) {
      throw new Error('canonical: binary values are not supported')
    }
    const out = {}
    for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key])
    return out
  }
  return value
}

/**
 * Converts the children of an XmlFragment / XmlElement into canonical nodes.
 * @param {Y.XmlFragment | Y.XmlElement} parent
 * @param {string} path  human-readable location, used in error messages
 * @returns {Array<object>}
 */
const canonicalChildren = (parent, path) => {
  const out = []
  parent.toArray().forEach((child, i) => {
    const here = `${path}[${i}]`
    if (child instanceof Y.XmlText) {
      // XmlText must be checked before XmlElement-like checks; it is not a
      // subclass of XmlElement but be explicit anyway.
      for (const op of child.toDelta()) {
        if (typeof op.insert !== 'string') {
          throw new Error(`canonical: unsupported embed in XmlText at ${here}: ${JSON.stringify(op.insert)}`)
        }
        out.push({ text: op.insert, marks: sortKeys(op.attributes || {}) })
      }
    } else if (child instanceof Y.XmlHook) {
      throw new Error(`canonical: unsupported XmlHook at ${here}`)
    } else if (child instanceof Y.XmlElement) {
      out.push({
        type: child.nodeName,
        attrs: sortKeys(child.getAttributes()),
        content: canonicalChildren(child, `${here}<${child.nodeName}>`)
      })
    } else {
      throw new Error(`canonical: unsupported child type at ${here}: ${child && child.constructor && child.constructor.name}`)
    }
  })
  return out
}

/**
 * Canonical content of a document (see the module comment for the shape).
 * @param {Y.Doc} ydoc
 * @returns {{ text: string, default: Array<object> }}
 */
export const canonical = (ydoc) => ({
  text: ydoc.getText('text').toString(),
  default: canonicalChildren(ydoc.getXmlFragment('default'), 'default')
})

/**
 * Stable string form of a canonical value, for equality checks.
 * (canonical() already sorts keys; sortKeys again makes this safe for any input.)
 * @param {any} value
 * @returns {string}
 */
export const canonicalString = (value) => JSON.stringify(sortKeys(value))

export default canonical
