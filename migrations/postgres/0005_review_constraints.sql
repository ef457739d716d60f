-- One approval in force per chair and version; a record filed once; the lookups made on every
-- connection to a joint response and at every login.
CREATE UNIQUE INDEX approvals_in_force ON approvals (hearing_id, version_id, user_id)
    WHERE voided_at IS NULL;
CREATE UNIQUE INDEX attachments_record_once ON attachments (record_id)
    WHERE record_id IS NOT NULL AND parent_id IS NULL;
CREATE INDEX hearings_joint_document ON hearings (joint_document_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
