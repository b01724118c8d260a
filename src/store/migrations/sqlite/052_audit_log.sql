-- 052_audit_log.sql — the audit log (issue 14, "Audit log"; docs/ARCHITECTURE.md "Audit log"):
-- one row per act that changes who can see what or who can do what, append-only and
-- hash-chained. A row is inserted by its act's transaction with seq, prev_hash and hash NULL;
-- just before that transaction commits it is chained (store/audit.c: store_audit_chain): the
-- one row of audit_chain is locked, the row gets the next seq, the head's hash as prev_hash and
-- its own hash (BLAKE2b-256 of its fields and prev_hash), and the head moves on. So the chain
-- is in commit order whatever node or writer wrote the row, and the head is locked only for
-- the last moment of a transaction. Rows are never updated once committed; retention deletes
-- the oldest and moves the anchor (anchor_seq, anchor_hash: the first kept row's seq and
-- prev_hash), from which `partyline admin audit verify` starts. audit_chain's one row is made
-- by the first chaining (none: an empty log).
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY,
    seq BIGINT,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    ip TEXT,
    action TEXT NOT NULL,
    target_kind TEXT,
    target_id BIGINT,
    audience TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT,
    hash TEXT
);
CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq);
CREATE INDEX audit_log_unchained ON audit_log (id) WHERE seq IS NULL;
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_target ON audit_log (target_id, id);
CREATE TABLE audit_chain (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    anchor_seq BIGINT NOT NULL,
    anchor_hash TEXT NOT NULL
);
