-- Live documents: a compacted snapshot and the log of updates committed since it.
-- Times are epoch milliseconds (the same on SQLite and PostgreSQL).
CREATE TABLE documents (
    id           TEXT PRIMARY KEY NOT NULL,
    -- full-state Yjs v1 update of everything up to and including snapshot_seq
    snapshot     BLOB,
    snapshot_seq INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE document_updates (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL REFERENCES documents (id),
    data        BLOB NOT NULL,
    -- who sent it (the authenticated user); later issues attribute changes by it
    user_name   TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE INDEX document_updates_by_document ON document_updates (document_id, seq);
