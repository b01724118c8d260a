-- 020_client_secret_hash.sql — client secrets are stored as the hex SHA-256 of the secret,
-- like tokens and codes, so a copy of the database does not let anyone act as an app; the
-- secret itself is shown once, when the app is registered. And two indexes for pruning apps
-- that were never used (http/jobs.c): "has this app a token, or a code?" must not scan.
UPDATE apps SET client_secret = encode(sha256(convert_to(client_secret, 'UTF8')), 'hex')
    WHERE length(client_secret) <> 64;
CREATE INDEX IF NOT EXISTS tokens_app ON tokens (app_id);
CREATE INDEX IF NOT EXISTS auth_codes_app ON auth_codes (app_id);
