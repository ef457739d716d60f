-- The hearing round, parts 2 and 3: who wrote what (attribution), review of the shared joint
-- response (comments, positions), approvals, the frozen record, and meetings with their agenda
-- items and attachments. Times are epoch milliseconds; flags 0/1.
-- Keep in step with migrations/postgres: the same tables, PostgreSQL's types.

-- How many HMU chairs must approve; NULL: all of them.
ALTER TABLE hearings ADD COLUMN approval_quorum BIGINT;

-- The user behind each Yjs client id of a document, recorded when the client first writes.
CREATE TABLE document_clients (
    document_id TEXT NOT NULL,
    client_id   BIGINT NOT NULL,
    user_name   TEXT NOT NULL,
    first_seen  BIGINT NOT NULL,
    PRIMARY KEY (document_id, client_id)
);

-- Who deleted what: the delete sets of updates, kept when compaction folds the update log
-- (the log itself keeps them until then).
CREATE TABLE document_deletions (
    document_id TEXT NOT NULL,
    client_id   BIGINT NOT NULL,
    clock       BIGINT NOT NULL,
    len         BIGINT NOT NULL,
    user_name   TEXT NOT NULL,
    seq         BIGINT NOT NULL
);
CREATE INDEX document_deletions_document ON document_deletions (document_id, seq);

-- The shared version each member last looked at in review.
CREATE TABLE review_seen (
    hearing_id BIGINT NOT NULL REFERENCES hearings (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    version_id BIGINT NOT NULL REFERENCES versions (id),
    seen_at    BIGINT NOT NULL,
    PRIMARY KEY (hearing_id, user_id)
);

-- Comments on passages of the joint response, anchored with Yjs relative positions (encoded
-- as Yjs does), so they follow their text through later edits.
CREATE TABLE comments (
    id           INTEGER PRIMARY KEY,
    hearing_id   BIGINT NOT NULL REFERENCES hearings (id),
    version_id   BIGINT REFERENCES versions (id),
    anchor_start BLOB,
    anchor_end   BLOB,
    -- the commented text as it was when the comment was made
    quote        TEXT NOT NULL,
    body         TEXT NOT NULL,
    author_id    BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    resolved_by  BIGINT REFERENCES users (id),
    resolved_at  BIGINT,
    resolution   TEXT
);
CREATE INDEX comments_hearing ON comments (hearing_id, id);

-- A member's position on one change of a shared version (the key names the change).
CREATE TABLE positions (
    version_id BIGINT NOT NULL REFERENCES versions (id),
    change_key TEXT NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    position   TEXT NOT NULL CHECK (position IN ('agree', 'object')),
    note       TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL,
    PRIMARY KEY (version_id, change_key, user_id)
);

-- A chair's approval of one version; voided when the text changes afterwards.
CREATE TABLE approvals (
    id          INTEGER PRIMARY KEY,
    hearing_id  BIGINT NOT NULL REFERENCES hearings (id),
    version_id  BIGINT NOT NULL REFERENCES versions (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    at          BIGINT NOT NULL,
    voided_at   BIGINT,
    void_reason TEXT
);
CREATE INDEX approvals_hearing ON approvals (hearing_id, version_id);

-- The frozen record: canonical HTML, the blocks it was rendered from, and its SHA-256.
CREATE TABLE records (
    id          INTEGER PRIMARY KEY,
    hearing_id  BIGINT NOT NULL UNIQUE REFERENCES hearings (id),
    version_id  BIGINT NOT NULL REFERENCES versions (id),
    -- the canonical form the hash was taken over (export::html::CANONICAL_FORM)
    form        TEXT NOT NULL,
    html        TEXT NOT NULL,
    blocks      TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    -- JSON: [{id, name, at}]
    approved_by TEXT NOT NULL,
    frozen_by   BIGINT NOT NULL REFERENCES users (id),
    frozen_at   BIGINT NOT NULL
);

CREATE TABLE meetings (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees (id),
    -- local (Danish) date and times, as the agenda prints them
    date          TEXT NOT NULL,
    start_time    TEXT,
    end_time      TEXT,
    place         TEXT NOT NULL,
    -- the initials line under the document date ("/MELAR1")
    initials      TEXT NOT NULL DEFAULT '',
    -- 0 while an agenda, 1 once the minutes are written
    minutes       BIGINT NOT NULL DEFAULT 0,
    created_by    BIGINT NOT NULL REFERENCES users (id),
    created_at    BIGINT NOT NULL
);

CREATE TABLE agenda_items (
    id             INTEGER PRIMARY KEY,
    meeting_id     BIGINT NOT NULL REFERENCES meetings (id),
    number         BIGINT NOT NULL,
    title          TEXT NOT NULL,
    time_start     TEXT,
    time_end       TEXT,
    case_number    TEXT NOT NULL DEFAULT '',
    -- JSON list of the bullets under "Det indstilles, at HMU"
    recommendation TEXT NOT NULL DEFAULT '[]',
    presentation   TEXT NOT NULL DEFAULT '',
    decision       TEXT NOT NULL DEFAULT '',
    UNIQUE (meeting_id, number)
);

-- Bilag: a frozen record filed with an item, each LMU response (a version) under it.
CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY,
    agenda_item_id BIGINT NOT NULL REFERENCES agenda_items (id),
    parent_id      BIGINT REFERENCES attachments (id),
    position       BIGINT NOT NULL,
    title          TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('record', 'version', 'file')),
    record_id      BIGINT REFERENCES records (id),
    version_id     BIGINT REFERENCES versions (id),
    file_id        BIGINT REFERENCES hearing_files (id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX attachments_item ON attachments (agenda_item_id, position);
