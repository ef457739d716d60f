import { useRef, useState } from 'preact/hooks'
import { api, ApiError, type HearingFile } from '../api'
import { formatBytes, formatDateTime } from '../format'
import { ConfirmDialog } from './ConfirmDialog'
import { ErrorMessage } from './ErrorMessage'

const ACCEPT =
  '.pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document'

/** The hearing material: downloads for everyone who sees the hearing, upload for the secretariat. */
export function HearingFiles(props: {
  hearingId: number
  files: HearingFile[]
  canUpload: boolean
  onChanged: () => void
}) {
  const input = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [message, setMessage] = useState('')
  const [deleting, setDeleting] = useState<HearingFile | null>(null)

  const upload = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setMessage('')
    const file = input.current?.files?.[0]
    if (!file) {
      setError(new ApiError(400, 'Vælg en PDF- eller Word-fil (DOCX) først.'))
      return
    }
    setBusy(true)
    try {
      const f = await api.uploadFile(props.hearingId, file)
      setMessage(`${f.name} er uploadet.`)
      if (input.current) input.current.value = ''
      props.onChanged()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="files-heading">
      <h2 id="files-heading">Høringsmateriale</h2>
      {props.files.length === 0 ? (
        <p>Der er ikke uploadet noget høringsmateriale.</p>
      ) : (
        <ul class="file-list" data-testid="files">
          {props.files.map((f) => (
            <li key={f.id}>
              <a href={api.fileUrl(props.hearingId, f.id)} download={f.name}>
                {f.name}
              </a>{' '}
              <span class="muted">
                ({f.content_type === 'application/pdf' ? 'PDF' : 'Word'}, {formatBytes(f.size)}, uploadet{' '}
                {formatDateTime(f.uploaded_at)} af {f.uploaded_by.name})
              </span>
              {props.canUpload && (
                <button type="button" class="button button--small" onClick={() => setDeleting(f)}>
                  Slet <span class="visually-hidden">{f.name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {props.canUpload && (
        <form class="form form--inline" onSubmit={upload}>
          <div class="field">
            <label for="material-file">Tilføj fil (PDF eller DOCX, højst 20 MB)</label>
            <input id="material-file" ref={input} type="file" accept={ACCEPT} />
          </div>
          <button type="submit" class="button" disabled={busy}>
            {busy ? 'Uploader…' : 'Upload fil'}
          </button>
        </form>
      )}
      <ErrorMessage error={error} prefix="Filen blev ikke uploadet:" />
      <p role="status" class="visually-hidden-empty">
        {message}
      </p>
      <ConfirmDialog
        open={deleting !== null}
        title="Slet fil?"
        confirmLabel="Slet filen"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return
          await api.deleteFile(props.hearingId, deleting.id)
          setMessage(`${deleting.name} er slettet.`)
          props.onChanged()
        }}
      >
        <p>{deleting ? `Filen ${deleting.name} fjernes fra høringsmaterialet.` : ''}</p>
      </ConfirmDialog>
    </section>
  )
}
