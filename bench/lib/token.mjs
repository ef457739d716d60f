// Samskriv access tokens, minted the way the server checks them:
//   payload = JSON {"doc", "user", "mode", "exp"} (exp in unix seconds)
//   token   = b64url(payload) + "." + b64url(HMAC-SHA256(key = secret, msg = the b64url payload))
// b64url is base64url without padding (Node's 'base64url' encoding omits padding).

import crypto from 'node:crypto'

export function mintToken (secret, docId, { user = 'bench', mode = 'rw', ttlSec = 6 * 3600 } = {}) {
  const payload = JSON.stringify({ doc: docId, user, mode, exp: Math.floor(Date.now() / 1000) + ttlSec })
  const body = Buffer.from(payload, 'utf8').toString('base64url')
  const sig = crypto.createHmac('sha256', Buffer.from(secret, 'utf8')).update(body, 'utf8').digest('base64url')
  return `${body}.${sig}`
}
