import { useState } from 'preact/hooks'
import { formatDateTime } from '../../format'
import { navigate } from '../../router'
import { type Review, roundApi } from '../../round-api'
import { genitive } from '../../round-format'
import { ConfirmDialog } from '../ConfirmDialog'

type Dialog = 'share' | 'approve' | 'freeze' | null

/**
 * The chairs' approval: the rule, who has approved which version, approvals voided by later
 * edits (with the reason), and for the chairs sharing a new version, approving and freezing.
 */
export function ApprovalPanel(props: {
  review: Review
  userId: number
  /** The live text differs from the current shared version: it cannot be approved as it is. */
  textChanged: boolean
  onChanged: (message: string) => void
}) {
  const r = props.review
  const a = r.approval
  const [dialog, setDialog] = useState<Dialog>(null)
  const [shareName, setShareName] = useState('')
  const versionName = (id: number | null) => r.versions.find((v) => v.id === id)?.name ?? `version ${id}`
  const current = r.current
  const approvedVersion = a.version_id ?? current?.id ?? null
  const mine = a.chairs.find((c) => c.chair.id === props.userId)
  const iApproved = !!mine?.approved_at && a.version_id === current?.id
  const count = a.chairs.filter((c) => c.approved_at).length

  return (
    <section aria-labelledby="approval-heading" class="approval" data-testid="approval">
      <h2 id="approval-heading">Godkendelse</h2>
      <p data-testid="approval-rule">
        Regel: <strong>{a.rule_text}</strong>.
        {current && (
          <>
            {' '}
            Den version, der godkendes, er <strong>{current.name}</strong>.
          </>
        )}
      </p>
      <ul class="plain approvals" data-testid="approvals">
        {a.chairs.map((c) => (
          <li key={c.chair.id} data-approved={c.approved_at ? 'true' : 'false'}>
            {c.approved_at ? (
              <>
                <span class="status status--submitted">
                  <span aria-hidden="true">✓ </span>Godkendt
                </span>{' '}
                af {c.chair.name} {formatDateTime(c.approved_at)}
                {approvedVersion ? ` (${versionName(approvedVersion)})` : ''}
              </>
            ) : (
              <>
                <span class="status status--not_started">
                  <span aria-hidden="true">○ </span>Ikke godkendt
                </span>{' '}
                af {c.chair.name} endnu
              </>
            )}
          </li>
        ))}
      </ul>
      <p data-testid="approval-state">
        {a.met ? (
          <strong>
            <span aria-hidden="true">✓ </span>Reglen er opfyldt: høringssvaret er godkendt
            {r.state === 'frozen' ? ' og gjort endeligt.' : ' og kan gøres endeligt.'}
          </strong>
        ) : (
          `${count} af ${a.needed} nødvendige godkendelser er givet.`
        )}
      </p>

      {a.voided.length > 0 && (
        <div class="notice notice--warning" data-testid="voided">
          <h3>
            <span aria-hidden="true">⚠ </span>Annullerede godkendelser
          </h3>
          <ul>
            {a.voided.map((v, i) => (
              <li key={i}>
                {genitive(v.chair.name)} godkendelse af {versionName(v.version_id)} (givet{' '}
                {formatDateTime(v.approved_at)}) blev annulleret {formatDateTime(v.voided_at)}, fordi{' '}
                <strong>{v.reason}</strong>.
              </li>
            ))}
          </ul>
        </div>
      )}

      {(r.can.share || r.can.approve || r.can.freeze) && (
        <div class="actions">
          {r.can.approve && current && !iApproved && !props.textChanged && (
            <button type="button" class="button button--primary" onClick={() => setDialog('approve')}>
              Godkend {current.name}
            </button>
          )}
          {r.can.freeze && (
            <button type="button" class="button button--primary" onClick={() => setDialog('freeze')}>
              Gør endelig
            </button>
          )}
          {r.can.share && (
            <button type="button" class="button" onClick={() => setDialog('share')}>
              {current ? 'Del ny version med HMU' : 'Del udkastet med HMU'}
            </button>
          )}
        </div>
      )}
      {r.can.approve && current && props.textChanged && (
        <p class="notice notice--info" data-testid="approve-blocked">
          Teksten er ændret, efter {current.name} blev delt. Del den nye tekst med HMU, før den kan
          godkendes.
        </p>
      )}
      {iApproved && !a.met && (
        <p class="muted">Du har godkendt {current?.name}. Der mangler godkendelse fra resten af formandskabet.</p>
      )}

      <ConfirmDialog
        open={dialog === 'share'}
        title={current ? 'Del en ny version med HMU?' : 'Del udkastet med HMU?'}
        confirmLabel="Del med HMU"
        onClose={() => setDialog(null)}
        onConfirm={async () => {
          await roundApi.share(r.hearing_id, shareName.trim() || undefined)
          setShareName('')
          props.onChanged('Teksten er delt med HMU som en ny version.')
        }}
      >
        <p>
          Teksten, som den er nu, deles med HMU’s medlemmer til gennemsyn. Den delte version kan ikke
          ændres bagefter.
          {a.chairs.some((c) => c.approved_at) && ' Godkendelser af den tidligere version bortfalder.'}
        </p>
        <div class="field">
          <label for="share-name">Navn på versionen (valgfrit)</label>
          <input
            id="share-name"
            type="text"
            value={shareName}
            placeholder={`Udkast ${r.versions.length + 1} til HMU`}
            onInput={(e) => setShareName((e.target as HTMLInputElement).value)}
          />
        </div>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'approve'}
        title={`Godkend ${current?.name ?? 'versionen'}?`}
        confirmLabel="Godkend"
        onClose={() => setDialog(null)}
        onConfirm={async () => {
          if (!current) return
          await roundApi.approve(r.hearing_id, current.id)
          props.onChanged(`Du har godkendt ${current.name}.`)
        }}
      >
        <p>
          Du godkender teksten, som den blev delt i {current?.name}. Regel: {a.rule_text}. Ændres
          teksten bagefter, bortfalder godkendelsen.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'freeze'}
        title="Gør høringssvaret endeligt?"
        confirmLabel="Gør endelig"
        onClose={() => setDialog(null)}
        onConfirm={async () => {
          const res = await roundApi.freeze(r.hearing_id)
          navigate(`/poster/${res.record_id}`)
        }}
      >
        <p>
          <strong>Teksten bliver skrivebeskyttet for alle – for altid.</strong> Ingen kan ændre den
          bagefter, heller ikke formandskabet.
        </p>
        <p>
          Den godkendte version gemmes som en endelig post med sin SHA-256, så den kan kontrolleres og
          arkiveres med mødets referat.
        </p>
      </ConfirmDialog>
    </section>
  )
}
