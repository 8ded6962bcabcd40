-- Cluster counterpart of ../0003_upload_validation.up.sql: the ledger and the row errors are
-- replicated to every node (not sharded), like the ledger itself.
-- Issue 3: duplicates, replace mode, retries and row-level errors.
-- duplicate_of: the LOADED upload with the same content this one was recognised as (status DUPLICATE).
-- replaces / replaced_by: an explicit correction (mode REPLACE) and what superseded an upload.
-- attempts: load attempts so far; recovery stops retrying an upload that keeps dying.
ALTER TABLE {{database}}.uploads ON CLUSTER {{cluster}}
    ADD COLUMN IF NOT EXISTS mode LowCardinality(String) DEFAULT 'APPEND',
    ADD COLUMN IF NOT EXISTS max_bad_rows UInt64 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS duplicate_of Nullable(String),
    ADD COLUMN IF NOT EXISTS replaces Nullable(String),
    ADD COLUMN IF NOT EXISTS replaced_by Nullable(String),
    ADD COLUMN IF NOT EXISTS attempts UInt32 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS header Array(String) DEFAULT [],
    ADD COLUMN IF NOT EXISTS row_error_count UInt64 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS row_errors_sample String DEFAULT '[]';

-- Every rejected cell or record of an upload (the sample in the ledger row holds the first few).
-- Written by ClickHouse itself from the validation pass over the stored object.
CREATE TABLE IF NOT EXISTS {{database}}.upload_row_errors ON CLUSTER {{cluster}}
(
    upload_id  String,
    record     UInt64,
    line       UInt64,
    column_name String,
    reason     String,
    value      String
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/{table}', '{replica}')
ORDER BY (upload_id, record, column_name);
