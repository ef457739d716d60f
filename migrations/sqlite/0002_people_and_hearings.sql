-- People, committees, sessions, hearings and the LMU responses (the hearing round, part 1).
-- Times are epoch milliseconds; flags are 0/1 (sqlx Any reads no booleans on SQLite).
-- Keep in step with migrations/postgres: the same tables, PostgreSQL's types.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    -- lower-case; the login name
    email         TEXT NOT NULL UNIQUE,
    -- argon2id, PHC string
    password_hash TEXT NOT NULL,
    secretariat   BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

-- The main committee (HMU) and its local committees (LMUs).
CREATE TABLE committees (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('main', 'local')),
    name       TEXT NOT NULL,
    short_name TEXT NOT NULL,
    parent_id  BIGINT REFERENCES committees (id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX committees_short_name ON committees (short_name);

CREATE TABLE memberships (
    user_id      BIGINT NOT NULL REFERENCES users (id),
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    role         TEXT NOT NULL CHECK (role IN ('member', 'chair')),
    PRIMARY KEY (user_id, committee_id)
);
CREATE INDEX memberships_committee ON memberships (committee_id);

-- Login sessions: the cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Personal API tokens for scripts; only the SHA-256 is stored.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed logins, for throttling (pruned as they age).
CREATE TABLE login_failures (
    email TEXT NOT NULL,
    at    BIGINT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);

CREATE TABLE hearings (
    id                INTEGER PRIMARY KEY,
    committee_id      BIGINT NOT NULL REFERENCES committees (id),
    title             TEXT NOT NULL,
    issuing_body      TEXT NOT NULL,
    description       TEXT NOT NULL,
    lmu_deadline      BIGINT NOT NULL,
    hmu_deadline      BIGINT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN
                        ('draft', 'collecting', 'consolidating', 'in_review', 'approved', 'frozen')),
    -- the joint response, created when the hearing opens
    joint_document_id TEXT,
    created_by        BIGINT NOT NULL REFERENCES users (id),
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);

CREATE TABLE hearing_invitations (
    hearing_id   BIGINT NOT NULL REFERENCES hearings (id),
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    PRIMARY KEY (hearing_id, committee_id)
);

-- One response per invited LMU, created when the hearing opens; its text is a live document.
CREATE TABLE responses (
    id                   INTEGER PRIMARY KEY,
    hearing_id           BIGINT NOT NULL REFERENCES hearings (id),
    committee_id         BIGINT NOT NULL REFERENCES committees (id),
    document_id          TEXT NOT NULL UNIQUE,
    status               TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    submitted_at         BIGINT,
    submitted_by         BIGINT REFERENCES users (id),
    late                 BIGINT NOT NULL DEFAULT 0,
    submitted_version_id BIGINT,
    UNIQUE (hearing_id, committee_id)
);

-- Named, immutable snapshots of a live document: on submission, when the chairs share a draft for
-- review, on freezing, and whenever a chair names one. `state` is the full-state Yjs v1 update
-- (never a yrs snapshot: yrs 0.28 restores those wrongly, design.md §6); `content` is the text
-- read from it (JSON), so versions can be shown and compared without yrs.
CREATE TABLE versions (
    id          INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    number      BIGINT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('named', 'submitted', 'shared', 'frozen')),
    state       BLOB NOT NULL,
    content     TEXT NOT NULL,
    -- the last update sequence number the state contains
    seq         BIGINT NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    UNIQUE (document_id, number)
);

-- Hearing material: uploaded PDF and DOCX files, kept in the database (both backends, one
-- transaction with the hearing, nothing on disk named by a user).
CREATE TABLE hearing_files (
    id           INTEGER PRIMARY KEY,
    hearing_id   BIGINT NOT NULL REFERENCES hearings (id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    uploaded_by  BIGINT NOT NULL REFERENCES users (id),
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX hearing_files_hearing ON hearing_files (hearing_id);

-- Every state change: who, what, when.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         BIGINT NOT NULL,
    user_id    BIGINT REFERENCES users (id),
    action     TEXT NOT NULL,
    hearing_id BIGINT REFERENCES hearings (id),
    -- JSON
    detail     TEXT NOT NULL
);
CREATE INDEX audit_log_hearing ON audit_log (hearing_id, id);

-- A document whose text may no longer change for anyone (a submitted response, a frozen record):
-- the commit refuses its updates whatever a server process believes.
ALTER TABLE documents ADD COLUMN locked BIGINT NOT NULL DEFAULT 0;
