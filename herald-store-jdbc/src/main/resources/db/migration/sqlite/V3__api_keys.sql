-- API keys: never the secret, only its SHA-256 digest as hex. A revoked key keeps its row, so its id is never reused.
-- Keys are few (an operator makes each one), so listing them sorts the table without an index.
CREATE TABLE api_keys (
    id          TEXT    NOT NULL PRIMARY KEY,
    name        TEXT,
    project     TEXT    NOT NULL,
    scope       TEXT    NOT NULL,
    secret_hash TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT,
    revoked_at  BIGINT
);
