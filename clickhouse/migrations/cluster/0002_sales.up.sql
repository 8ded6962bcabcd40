-- Cluster counterpart of ../0002_sales.up.sql (docs/scaling.md). Each shard holds *_local
-- tables (ReplicatedMergeTree, one copy per replica of the shard); the Distributed tables carry the
-- names the gateway reads and writes (sales_raw, sales_hourly), so the planner's table names are
-- the same on one node and on a cluster.
--
-- Sharding key cityHash64(dataset, toStartOfHour(time)): deterministic, so a retried insert splits
-- into the same per-shard blocks and replicated deduplication recognises them; every row of one
-- (dataset, hour) lands on one shard, so an hourly rollup row is never split across shards; and a
-- dataset's hours spread over every shard, so a range query reads on all of them at once.
--
-- Raw sales lines. Money and quantities are Decimal (exact sums); optional columns are
-- Nullable so that "not in the file" / "empty cell" stays distinguishable from zero.
-- upload_id lets readers hide an upload until it is LOADED and lets a failed load be removed.
CREATE TABLE IF NOT EXISTS {{database}}.sales_raw_local ON CLUSTER {{cluster}}
(
    dataset        LowCardinality(String),
    upload_id      LowCardinality(String),
    time           DateTime('UTC'),
    productLine    LowCardinality(Nullable(String)),
    itemGroup      LowCardinality(Nullable(String)),
    branch         LowCardinality(Nullable(String)),
    salesPerson    LowCardinality(Nullable(String)),
    account        Nullable(String),
    item           Nullable(String),
    customer       Nullable(String),
    grossRevenue   Decimal(18, 4),
    returnsValue   Nullable(Decimal(18, 4)),
    unitsSold      Nullable(Decimal(18, 4)),
    unitsReturned  Nullable(Decimal(18, 4)),
    totalCost      Nullable(Decimal(18, 4)),
    lineItemCount  Nullable(Int64)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(time)
ORDER BY (dataset, time);

CREATE TABLE IF NOT EXISTS {{database}}.sales_raw ON CLUSTER {{cluster}}
AS {{database}}.sales_raw_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_raw_local, cityHash64(dataset, toStartOfHour(time)));

-- Hourly rollup (sums are named <column>Sum so they never shadow raw columns in the view) keyed by the four breakdown dimensions. Every optional measure has a row
-- count beside its sum: coverage (rows that carry the column / all rows) comes from the same
-- query as the value. Distinct counts of item/customer are not kept here: merging exact
-- distinct states over a rollup that is only ~5x smaller than raw is slower than scanning raw.
CREATE TABLE IF NOT EXISTS {{database}}.sales_hourly_local ON CLUSTER {{cluster}}
(
    dataset            LowCardinality(String),
    hour               DateTime('UTC'),
    branch             LowCardinality(Nullable(String)),
    productLine        LowCardinality(Nullable(String)),
    itemGroup          LowCardinality(Nullable(String)),
    salesPerson        LowCardinality(Nullable(String)),
    upload_id          LowCardinality(String),
    transactions       SimpleAggregateFunction(sum, UInt64),
    grossRevenueSum       SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueSum       SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueRows   SimpleAggregateFunction(sum, UInt64),
    unitsSoldSum          SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsSoldRows      SimpleAggregateFunction(sum, UInt64),
    unitsReturnedSum      SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsReturnedRows  SimpleAggregateFunction(sum, UInt64),
    totalCostSum          SimpleAggregateFunction(sum, Decimal(38, 4)),
    totalCostRows      SimpleAggregateFunction(sum, UInt64),
    lineItemCountSum      SimpleAggregateFunction(sum, Int64),
    lineItemCountRows  SimpleAggregateFunction(sum, UInt64),
    accountRows        SimpleAggregateFunction(sum, UInt64),
    itemRows           SimpleAggregateFunction(sum, UInt64),
    customerRows       SimpleAggregateFunction(sum, UInt64)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(hour)
ORDER BY (dataset, hour, branch, productLine, itemGroup, salesPerson, upload_id)
SETTINGS allow_nullable_key = 1;

-- Reads merge every shard's partial sums (the planner groups and sums again, as on one node).
CREATE TABLE IF NOT EXISTS {{database}}.sales_hourly ON CLUSTER {{cluster}}
AS {{database}}.sales_hourly_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_hourly_local, cityHash64(dataset, hour));

-- The view lives beside the local tables of every shard: the Distributed insert delivers a block to
-- a shard's sales_raw_local, and the view there writes the shard's sales_hourly_local.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.sales_hourly_mv ON CLUSTER {{cluster}} TO {{database}}.sales_hourly_local AS
SELECT
    dataset,
    toStartOfHour(time) AS hour,
    branch,
    productLine,
    itemGroup,
    salesPerson,
    upload_id,
    count() AS transactions,
    sum(grossRevenue) AS grossRevenueSum,
    sum(ifNull(returnsValue, toDecimal64(0, 4))) AS returnsValueSum,
    count(returnsValue) AS returnsValueRows,
    sum(ifNull(unitsSold, toDecimal64(0, 4))) AS unitsSoldSum,
    count(unitsSold) AS unitsSoldRows,
    sum(ifNull(unitsReturned, toDecimal64(0, 4))) AS unitsReturnedSum,
    count(unitsReturned) AS unitsReturnedRows,
    sum(ifNull(totalCost, toDecimal64(0, 4))) AS totalCostSum,
    count(totalCost) AS totalCostRows,
    sum(ifNull(lineItemCount, 0)) AS lineItemCountSum,
    count(lineItemCount) AS lineItemCountRows,
    count(account) AS accountRows,
    count(item) AS itemRows,
    count(customer) AS customerRows
FROM {{database}}.sales_raw_local
GROUP BY dataset, hour, branch, productLine, itemGroup, salesPerson, upload_id;
