-- Live documents: a compacted snapshot and the log of updates committed since it.
-- Times are epoch milliseconds (the same on SQLite and PostgreSQL).
CREATE TABLE documents (
    id           TEXT PRIMARY KEY NOT NULL,
    -- full-state Yjs v1 update of every update up to and including snapshot_seq
    snapshot     BLOB,
    snapshot_seq BIGINT NOT NULL DEFAULT 0,
    -- the last update sequence number given out for this document; taking the next ones locks
    -- this row, so per-document sequence order is commit order, on every backend
    last_seq     BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE document_updates (
    document_id TEXT NOT NULL REFERENCES documents (id),
    seq         BIGINT NOT NULL,
    data        BLOB NOT NULL,
    -- who sent it (the authenticated user); later issues attribute changes by it
    user_name   TEXT NOT NULL,
    -- the server process that accepted it (processes skip their own when catching up)
    origin      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (document_id, seq)
);
