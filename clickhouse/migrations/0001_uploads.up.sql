-- Upload ledger: one logical row per upload, rewritten on every status change.
-- ReplacingMergeTree keeps the highest `version`; readers use FINAL.
CREATE TABLE IF NOT EXISTS {{database}}.uploads
(
    id              String,
    dataset         String,
    kind            LowCardinality(String),
    object_key      String,
    status          LowCardinality(String),
    bytes           UInt64,
    sha256          String,
    rows_loaded     UInt64,
    rows_rejected   UInt64,
    columns         Array(String),
    ignored_columns Array(String),
    error_code      Nullable(String),
    error           Nullable(String),
    created_at      DateTime64(3, 'UTC'),
    received_at     Nullable(DateTime64(3, 'UTC')),
    finished_at     Nullable(DateTime64(3, 'UTC')),
    receive_ms      UInt32,
    load_ms         UInt32,
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;
