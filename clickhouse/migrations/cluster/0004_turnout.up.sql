-- Cluster counterpart of ../0004_turnout.up.sql (docs/scaling.md). Transactions are sharded like
-- sales, by cityHash64(dataset, electionId, toStartOfHour(time)): deterministic (retries
-- deduplicate) and one hourly rollup row per shard. The constituency registry is small and joined
-- to every turnout query, so it is not sharded: every node holds all of it (no {shard} in its
-- path), and each shard joins its own rows locally, with no distributed JOIN.
--
-- Raw polling-station transactions. Counts are Int64 (the load converts strictly: a malformed
-- number fails the upload); the optional columns are Nullable so "not reported" stays distinct
-- from 0. upload_id lets readers hide an upload until it is LOADED and lets a failed load go.
CREATE TABLE IF NOT EXISTS {{database}}.turnout_raw_local ON CLUSTER {{cluster}}
(
    dataset           LowCardinality(String),
    upload_id         LowCardinality(String),
    time              DateTime('UTC'),
    electionId        LowCardinality(String),
    constituencyId    LowCardinality(String),
    pollingStationId  Nullable(String),
    bulletinsIssued   Int64,
    votesCast         Int64,
    anomalies         Nullable(Int64)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(time)
ORDER BY (dataset, electionId, time);

CREATE TABLE IF NOT EXISTS {{database}}.turnout_raw ON CLUSTER {{cluster}}
AS {{database}}.turnout_raw_local
ENGINE = Distributed({{cluster}}, {{database}}, turnout_raw_local, cityHash64(dataset, electionId, toStartOfHour(time)));

-- Hourly rollup per (election, constituency, polling station). Sums are named <column>Sum so the
-- view's aliases never shadow raw columns; the optional anomalies column carries its row count
-- beside its sum (coverage from the same query). Polling stations are in the key, so distinct
-- stations per constituency are exact here too.
CREATE TABLE IF NOT EXISTS {{database}}.turnout_hourly_local ON CLUSTER {{cluster}}
(
    dataset             LowCardinality(String),
    electionId          LowCardinality(String),
    hour                DateTime('UTC'),
    constituencyId      LowCardinality(String),
    pollingStationId    Nullable(String),
    upload_id           LowCardinality(String),
    transactions        SimpleAggregateFunction(sum, UInt64),
    bulletinsIssuedSum  SimpleAggregateFunction(sum, Int64),
    votesCastSum        SimpleAggregateFunction(sum, Int64),
    anomaliesSum        SimpleAggregateFunction(sum, Int64),
    anomaliesRows       SimpleAggregateFunction(sum, UInt64)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(hour)
ORDER BY (dataset, electionId, hour, constituencyId, pollingStationId, upload_id)
SETTINGS allow_nullable_key = 1;

CREATE TABLE IF NOT EXISTS {{database}}.turnout_hourly ON CLUSTER {{cluster}}
AS {{database}}.turnout_hourly_local
ENGINE = Distributed({{cluster}}, {{database}}, turnout_hourly_local, cityHash64(dataset, electionId, hour));

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.turnout_hourly_mv ON CLUSTER {{cluster}} TO {{database}}.turnout_hourly_local AS
SELECT
    dataset,
    electionId,
    toStartOfHour(time) AS hour,
    constituencyId,
    pollingStationId,
    upload_id,
    count() AS transactions,
    sum(bulletinsIssued) AS bulletinsIssuedSum,
    sum(votesCast) AS votesCastSum,
    sum(ifNull(anomalies, 0)) AS anomaliesSum,
    count(anomalies) AS anomaliesRows
FROM {{database}}.turnout_raw_local
GROUP BY dataset, electionId, hour, constituencyId, pollingStationId, upload_id;

-- Constituency registry. Every upload is kept; readers apply the replace rule (per election, only
-- the newest visible upload counts), so a re-upload needs no DELETE and a failed one hides nothing.
-- uploaded_at is filled by the server at insert time and orders uploads.
CREATE TABLE IF NOT EXISTS {{database}}.constituencies_raw ON CLUSTER {{cluster}}
(
    dataset           LowCardinality(String),
    upload_id         LowCardinality(String),
    uploaded_at       DateTime64(3, 'UTC') DEFAULT now64(3),
    electionId        LowCardinality(String),
    constituencyId    String,
    name              Nullable(String),
    region            LowCardinality(Nullable(String)),
    registeredVoters  Int64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/{table}', '{replica}')
ORDER BY (dataset, electionId, constituencyId);
