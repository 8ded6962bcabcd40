-- Cluster counterpart of ../0005_sales_daily.up.sql: the daily rollup, re-aggregated per UTC day
-- from what the hourly view writes on each shard (a cascade of views over the local tables), read
-- through a Distributed table named like the single-node one.
--
-- No backfill: cluster migrations are applied to an empty cluster, whose hourly rollup is empty
-- too. Data moved from a single node is inserted through the raw Distributed tables, which fill
-- every rollup (docs/scaling.md, "From one node to a cluster").
CREATE TABLE IF NOT EXISTS {{database}}.sales_daily_local ON CLUSTER {{cluster}}
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(day)
ORDER BY (dataset, day, branch, productLine, itemGroup, salesPerson, upload_id)
SETTINGS allow_nullable_key = 1
EMPTY AS SELECT toStartOfDay(hour) AS day, * EXCEPT hour FROM {{database}}.sales_hourly_local;

-- A day's hours may sit on several shards: reads sum the shards' partial rows (exact).
CREATE TABLE IF NOT EXISTS {{database}}.sales_daily ON CLUSTER {{cluster}}
AS {{database}}.sales_daily_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_daily_local, cityHash64(dataset, day));

-- deduplicate_blocks_in_dependent_materialized_views (set on every load) makes a retried block
-- that the raw table skips also be skipped here, and keeps a first attempt's block from being
-- dropped as a "duplicate" of another upload's identical aggregate (upload_id is in the key).
CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.sales_daily_mv ON CLUSTER {{cluster}} TO {{database}}.sales_daily_local AS
SELECT toStartOfDay(hour) AS day, * EXCEPT hour FROM {{database}}.sales_hourly_local;
