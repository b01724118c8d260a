-- 019_registration_reason.sql — why a person wants to join (POST /api/v1/accounts `reason`),
-- kept only while registrations need approval and only until the account is approved: it is
-- for that one decision, so it lives beside the account, not in it (the accounts row is read
-- on every request), and approving deletes it. Listed by `partyline admin list-pending`.
CREATE TABLE registration_reasons (
    account_id BIGINT PRIMARY KEY,
    reason TEXT NOT NULL
);
