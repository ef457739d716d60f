-- Live documents: a compacted snapshot and the log of updates committed since it.
-- Keep in step with migrations/sqlite: the same tables, PostgreSQL's types.
CREATE TABLE documents (
    id           TEXT PRIMARY KEY NOT NULL,
    snapshot     BYTEA,
    snapshot_seq BIGINT NOT NULL DEFAULT 0,
    last_seq     BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE document_updates (
    document_id TEXT NOT NULL REFERENCES documents (id),
    seq         BIGINT NOT NULL,
    data        BYTEA NOT NULL,
    user_name   TEXT NOT NULL,
    origin      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (document_id, seq)
);
