-- 053_moderation.sql — roles, account states and reports (issue 14, "Reports and moderation";
-- docs/ARCHITECTURE.md "Moderation").
-- accounts.role: 0 none, 1 moderator, 2 administrator (store/model.h enum pl_role). is_admin
-- stays, kept equal to role = 2 by every write (store_account_set_role), so that the code and
-- data that read it need not change. is_silenced and is_suspended are the moderators'
-- account actions (is_disabled, from 001, is the third).
-- reports: one a person files about another (POST /api/v1/reports); open while
-- action_taken_at is NULL. rule_ids are the server's rule numbers (rules_file's lines),
-- space-separated. report_statuses: the posts it names — the only posts a moderator may see
-- whatever their audience, and only through the report (app/reports.c).
-- notifications.report_id: the report an admin.report notification is about (Mastodon's type:
-- staff hear of each new report).
ALTER TABLE accounts ADD COLUMN role INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN is_silenced INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN is_suspended INTEGER NOT NULL DEFAULT 0;
UPDATE accounts SET role = 2 WHERE is_admin = 1;
CREATE INDEX accounts_staff ON accounts (role) WHERE role > 0;
CREATE TABLE reports (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    target_account_id BIGINT NOT NULL,
    category TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    rule_ids TEXT NOT NULL DEFAULT '',
    assigned_account_id BIGINT,
    action_taken_by_account_id BIGINT,
    action_taken_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX reports_reporter ON reports (account_id, id);
CREATE INDEX reports_target ON reports (target_account_id, id);
ALTER TABLE notifications ADD COLUMN report_id BIGINT;
CREATE TABLE report_statuses (
    report_id BIGINT NOT NULL,
    status_id BIGINT NOT NULL,
    PRIMARY KEY (report_id, status_id)
);
CREATE INDEX report_statuses_status ON report_statuses (status_id);
