-- A document's compacted snapshot moves to a table of its own. Every commit updates the
-- document's row in `documents` (it takes the next sequence numbers there); while that row held
-- the snapshot, each commit read and rewrote the whole snapshot (hundreds of KB for a long
-- document: most of the database's work in the B4 benchmark).
CREATE TABLE document_snapshots (
    document_id TEXT PRIMARY KEY NOT NULL REFERENCES documents (id),
    -- full-state Yjs v1 update of every update up to and including documents.snapshot_seq
    data        BYTEA NOT NULL
);

INSERT INTO document_snapshots (document_id, data)
SELECT id, snapshot FROM documents WHERE snapshot IS NOT NULL;

ALTER TABLE documents DROP COLUMN snapshot;
