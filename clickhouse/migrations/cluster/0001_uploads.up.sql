-- Cluster counterpart of ../0001_uploads.up.sql (docs/scaling.md).
-- Upload ledger: one logical row per upload, rewritten on every status change. It is small and
-- every replica of the gateway reads all of it, so it is not sharded: one replicated copy on every
-- node (the ZooKeeper path has no {shard}), read locally, ReplacingMergeTree keeping the highest
-- `version` (readers use FINAL).
CREATE DATABASE IF NOT EXISTS {{database}} ON CLUSTER {{cluster}};

CREATE TABLE IF NOT EXISTS {{database}}.uploads ON CLUSTER {{cluster}}
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/{table}', '{replica}', version)
ORDER BY id;
