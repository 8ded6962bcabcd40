-- Cluster counterpart of ../0007_sales_rollups.up.sql (docs/rollups.md, docs/scaling.md): each
-- rollup as a replicated *_local table per shard, its view over the shard's local tables, and a
-- Distributed table under the single-node name. Raw rows of one (dataset, hour) sit on one shard,
-- so an hourly or 15-minute rollup row is never split; a day's rows may be on several shards and
-- reads sum or merge the shards' partial rows (exact).
--
-- No backfill: cluster migrations are applied to an empty cluster (docs/scaling.md).

CREATE TABLE IF NOT EXISTS {{database}}.sales_q15_local ON CLUSTER {{cluster}}
(
    dataset LowCardinality(String),
    bucket DateTime('UTC'),
    upload_id LowCardinality(String),
    transactions SimpleAggregateFunction(sum, UInt64),
    grossRevenueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueRows SimpleAggregateFunction(sum, UInt64),
    unitsSoldSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsSoldRows SimpleAggregateFunction(sum, UInt64),
    unitsReturnedSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsReturnedRows SimpleAggregateFunction(sum, UInt64),
    totalCostSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    totalCostRows SimpleAggregateFunction(sum, UInt64),
    lineItemCountSum SimpleAggregateFunction(sum, Int64),
    lineItemCountRows SimpleAggregateFunction(sum, UInt64),
    accountRows SimpleAggregateFunction(sum, UInt64),
    itemRows SimpleAggregateFunction(sum, UInt64),
    customerRows SimpleAggregateFunction(sum, UInt64),
    branchRows SimpleAggregateFunction(sum, UInt64),
    productLineRows SimpleAggregateFunction(sum, UInt64),
    itemGroupRows SimpleAggregateFunction(sum, UInt64),
    salesPersonRows SimpleAggregateFunction(sum, UInt64)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, bucket, upload_id)
SETTINGS index_granularity = 96;

CREATE TABLE IF NOT EXISTS {{database}}.sales_q15 ON CLUSTER {{cluster}}
AS {{database}}.sales_q15_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_q15_local, cityHash64(dataset, bucket));

CREATE TABLE IF NOT EXISTS {{database}}.sales_h1_local ON CLUSTER {{cluster}}
(
    dataset LowCardinality(String),
    bucket DateTime('UTC'),
    upload_id LowCardinality(String),
    transactions SimpleAggregateFunction(sum, UInt64),
    grossRevenueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueRows SimpleAggregateFunction(sum, UInt64),
    unitsSoldSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsSoldRows SimpleAggregateFunction(sum, UInt64),
    unitsReturnedSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsReturnedRows SimpleAggregateFunction(sum, UInt64),
    totalCostSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    totalCostRows SimpleAggregateFunction(sum, UInt64),
    lineItemCountSum SimpleAggregateFunction(sum, Int64),
    lineItemCountRows SimpleAggregateFunction(sum, UInt64),
    accountRows SimpleAggregateFunction(sum, UInt64),
    itemRows SimpleAggregateFunction(sum, UInt64),
    customerRows SimpleAggregateFunction(sum, UInt64),
    branchRows SimpleAggregateFunction(sum, UInt64),
    productLineRows SimpleAggregateFunction(sum, UInt64),
    itemGroupRows SimpleAggregateFunction(sum, UInt64),
    salesPersonRows SimpleAggregateFunction(sum, UInt64),
    customerU AggregateFunction(uniqExact, Nullable(String)),
    itemU AggregateFunction(uniqExact, Nullable(String)),
    accountU AggregateFunction(uniqExact, Nullable(String))
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, bucket, upload_id)
SETTINGS index_granularity = 24;

CREATE TABLE IF NOT EXISTS {{database}}.sales_h1 ON CLUSTER {{cluster}}
AS {{database}}.sales_h1_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_h1_local, cityHash64(dataset, bucket));

CREATE TABLE IF NOT EXISTS {{database}}.sales_d1_local ON CLUSTER {{cluster}}
(
    dataset LowCardinality(String),
    bucket DateTime('UTC'),
    upload_id LowCardinality(String),
    transactions SimpleAggregateFunction(sum, UInt64),
    grossRevenueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueRows SimpleAggregateFunction(sum, UInt64),
    unitsSoldSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsSoldRows SimpleAggregateFunction(sum, UInt64),
    unitsReturnedSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsReturnedRows SimpleAggregateFunction(sum, UInt64),
    totalCostSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    totalCostRows SimpleAggregateFunction(sum, UInt64),
    lineItemCountSum SimpleAggregateFunction(sum, Int64),
    lineItemCountRows SimpleAggregateFunction(sum, UInt64),
    accountRows SimpleAggregateFunction(sum, UInt64),
    itemRows SimpleAggregateFunction(sum, UInt64),
    customerRows SimpleAggregateFunction(sum, UInt64),
    branchRows SimpleAggregateFunction(sum, UInt64),
    productLineRows SimpleAggregateFunction(sum, UInt64),
    itemGroupRows SimpleAggregateFunction(sum, UInt64),
    salesPersonRows SimpleAggregateFunction(sum, UInt64),
    customerU AggregateFunction(uniqExact, Nullable(String)),
    itemU AggregateFunction(uniqExact, Nullable(String)),
    accountU AggregateFunction(uniqExact, Nullable(String))
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, bucket, upload_id)
SETTINGS index_granularity = 8;

CREATE TABLE IF NOT EXISTS {{database}}.sales_d1 ON CLUSTER {{cluster}}
AS {{database}}.sales_d1_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_d1_local, cityHash64(dataset, bucket));

CREATE TABLE IF NOT EXISTS {{database}}.sales_branch_h_local ON CLUSTER {{cluster}}
(
    dataset LowCardinality(String),
    branch LowCardinality(Nullable(String)),
    bucket DateTime('UTC'),
    upload_id LowCardinality(String),
    transactions SimpleAggregateFunction(sum, UInt64),
    grossRevenueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueRows SimpleAggregateFunction(sum, UInt64),
    unitsSoldSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsSoldRows SimpleAggregateFunction(sum, UInt64),
    unitsReturnedSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsReturnedRows SimpleAggregateFunction(sum, UInt64),
    totalCostSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    totalCostRows SimpleAggregateFunction(sum, UInt64),
    lineItemCountSum SimpleAggregateFunction(sum, Int64),
    lineItemCountRows SimpleAggregateFunction(sum, UInt64),
    accountRows SimpleAggregateFunction(sum, UInt64),
    itemRows SimpleAggregateFunction(sum, UInt64),
    customerRows SimpleAggregateFunction(sum, UInt64),
    productLineRows SimpleAggregateFunction(sum, UInt64),
    itemGroupRows SimpleAggregateFunction(sum, UInt64),
    salesPersonRows SimpleAggregateFunction(sum, UInt64)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, branch, bucket, upload_id)
SETTINGS allow_nullable_key = 1;

CREATE TABLE IF NOT EXISTS {{database}}.sales_branch_h ON CLUSTER {{cluster}}
AS {{database}}.sales_branch_h_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_branch_h_local, cityHash64(dataset, bucket));

CREATE TABLE IF NOT EXISTS {{database}}.sales_productLine_h_local ON CLUSTER {{cluster}}
(
    dataset LowCardinality(String),
    productLine LowCardinality(Nullable(String)),
    bucket DateTime('UTC'),
    upload_id LowCardinality(String),
    transactions SimpleAggregateFunction(sum, UInt64),
    grossRevenueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueRows SimpleAggregateFunction(sum, UInt64),
    unitsSoldSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsSoldRows SimpleAggregateFunction(sum, UInt64),
    unitsReturnedSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsReturnedRows SimpleAggregateFunction(sum, UInt64),
    totalCostSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    totalCostRows SimpleAggregateFunction(sum, UInt64),
    lineItemCountSum SimpleAggregateFunction(sum, Int64),
    lineItemCountRows SimpleAggregateFunction(sum, UInt64),
    accountRows SimpleAggregateFunction(sum, UInt64),
    itemRows SimpleAggregateFunction(sum, UInt64),
    customerRows SimpleAggregateFunction(sum, UInt64),
    branchRows SimpleAggregateFunction(sum, UInt64),
    itemGroupRows SimpleAggregateFunction(sum, UInt64),
    salesPersonRows SimpleAggregateFunction(sum, UInt64)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, productLine, bucket, upload_id)
SETTINGS allow_nullable_key = 1;

CREATE TABLE IF NOT EXISTS {{database}}.sales_productLine_h ON CLUSTER {{cluster}}
AS {{database}}.sales_productLine_h_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_productLine_h_local, cityHash64(dataset, bucket));

CREATE TABLE IF NOT EXISTS {{database}}.sales_itemGroup_h_local ON CLUSTER {{cluster}}
(
    dataset LowCardinality(String),
    itemGroup LowCardinality(Nullable(String)),
    bucket DateTime('UTC'),
    upload_id LowCardinality(String),
    transactions SimpleAggregateFunction(sum, UInt64),
    grossRevenueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueRows SimpleAggregateFunction(sum, UInt64),
    unitsSoldSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsSoldRows SimpleAggregateFunction(sum, UInt64),
    unitsReturnedSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsReturnedRows SimpleAggregateFunction(sum, UInt64),
    totalCostSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    totalCostRows SimpleAggregateFunction(sum, UInt64),
    lineItemCountSum SimpleAggregateFunction(sum, Int64),
    lineItemCountRows SimpleAggregateFunction(sum, UInt64),
    accountRows SimpleAggregateFunction(sum, UInt64),
    itemRows SimpleAggregateFunction(sum, UInt64),
    customerRows SimpleAggregateFunction(sum, UInt64),
    branchRows SimpleAggregateFunction(sum, UInt64),
    productLineRows SimpleAggregateFunction(sum, UInt64),
    salesPersonRows SimpleAggregateFunction(sum, UInt64)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, itemGroup, bucket, upload_id)
SETTINGS allow_nullable_key = 1;

CREATE TABLE IF NOT EXISTS {{database}}.sales_itemGroup_h ON CLUSTER {{cluster}}
AS {{database}}.sales_itemGroup_h_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_itemGroup_h_local, cityHash64(dataset, bucket));

CREATE TABLE IF NOT EXISTS {{database}}.sales_salesPerson_h_local ON CLUSTER {{cluster}}
(
    dataset LowCardinality(String),
    salesPerson LowCardinality(Nullable(String)),
    bucket DateTime('UTC'),
    upload_id LowCardinality(String),
    transactions SimpleAggregateFunction(sum, UInt64),
    grossRevenueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueRows SimpleAggregateFunction(sum, UInt64),
    unitsSoldSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsSoldRows SimpleAggregateFunction(sum, UInt64),
    unitsReturnedSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsReturnedRows SimpleAggregateFunction(sum, UInt64),
    totalCostSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    totalCostRows SimpleAggregateFunction(sum, UInt64),
    lineItemCountSum SimpleAggregateFunction(sum, Int64),
    lineItemCountRows SimpleAggregateFunction(sum, UInt64),
    accountRows SimpleAggregateFunction(sum, UInt64),
    itemRows SimpleAggregateFunction(sum, UInt64),
    customerRows SimpleAggregateFunction(sum, UInt64),
    branchRows SimpleAggregateFunction(sum, UInt64),
    productLineRows SimpleAggregateFunction(sum, UInt64),
    itemGroupRows SimpleAggregateFunction(sum, UInt64)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, salesPerson, bucket, upload_id)
SETTINGS allow_nullable_key = 1;

CREATE TABLE IF NOT EXISTS {{database}}.sales_salesPerson_h ON CLUSTER {{cluster}}
AS {{database}}.sales_salesPerson_h_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_salesPerson_h_local, cityHash64(dataset, bucket));

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.sales_d1_mv ON CLUSTER {{cluster}} TO {{database}}.sales_d1_local AS
SELECT
    dataset,
    toStartOfDay(bucket) AS bucket,
    upload_id,
    sum(transactions) AS transactions,
    sum(grossRevenueSum) AS grossRevenueSum,
    sum(returnsValueSum) AS returnsValueSum,
    sum(returnsValueRows) AS returnsValueRows,
    sum(unitsSoldSum) AS unitsSoldSum,
    sum(unitsSoldRows) AS unitsSoldRows,
    sum(unitsReturnedSum) AS unitsReturnedSum,
    sum(unitsReturnedRows) AS unitsReturnedRows,
    sum(totalCostSum) AS totalCostSum,
    sum(totalCostRows) AS totalCostRows,
    sum(lineItemCountSum) AS lineItemCountSum,
    sum(lineItemCountRows) AS lineItemCountRows,
    sum(accountRows) AS accountRows,
    sum(itemRows) AS itemRows,
    sum(customerRows) AS customerRows,
    sum(branchRows) AS branchRows,
    sum(productLineRows) AS productLineRows,
    sum(itemGroupRows) AS itemGroupRows,
    sum(salesPersonRows) AS salesPersonRows,
    uniqExactMergeState(customerU) AS customerU,
    uniqExactMergeState(itemU) AS itemU,
    uniqExactMergeState(accountU) AS accountU
FROM {{database}}.sales_h1_local
GROUP BY dataset, bucket, upload_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.sales_q15_mv ON CLUSTER {{cluster}} TO {{database}}.sales_q15_local AS
SELECT
    dataset,
    toStartOfFifteenMinutes(time) AS bucket,
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
    count(customer) AS customerRows,
    count(branch) AS branchRows,
    count(productLine) AS productLineRows,
    count(itemGroup) AS itemGroupRows,
    count(salesPerson) AS salesPersonRows
FROM {{database}}.sales_raw_local
GROUP BY dataset, bucket, upload_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.sales_h1_mv ON CLUSTER {{cluster}} TO {{database}}.sales_h1_local AS
SELECT
    dataset,
    toStartOfHour(time) AS bucket,
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
    count(customer) AS customerRows,
    count(branch) AS branchRows,
    count(productLine) AS productLineRows,
    count(itemGroup) AS itemGroupRows,
    count(salesPerson) AS salesPersonRows,
    uniqExactState(customer) AS customerU,
    uniqExactState(item) AS itemU,
    uniqExactState(account) AS accountU
FROM {{database}}.sales_raw_local
GROUP BY dataset, bucket, upload_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.sales_branch_h_mv ON CLUSTER {{cluster}} TO {{database}}.sales_branch_h_local AS
SELECT
    dataset,
    branch,
    toStartOfHour(time) AS bucket,
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
    count(customer) AS customerRows,
    count(productLine) AS productLineRows,
    count(itemGroup) AS itemGroupRows,
    count(salesPerson) AS salesPersonRows
FROM {{database}}.sales_raw_local
GROUP BY dataset, branch, bucket, upload_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.sales_productLine_h_mv ON CLUSTER {{cluster}} TO {{database}}.sales_productLine_h_local AS
SELECT
    dataset,
    productLine,
    toStartOfHour(time) AS bucket,
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
    count(customer) AS customerRows,
    count(branch) AS branchRows,
    count(itemGroup) AS itemGroupRows,
    count(salesPerson) AS salesPersonRows
FROM {{database}}.sales_raw_local
GROUP BY dataset, productLine, bucket, upload_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.sales_itemGroup_h_mv ON CLUSTER {{cluster}} TO {{database}}.sales_itemGroup_h_local AS
SELECT
    dataset,
    itemGroup,
    toStartOfHour(time) AS bucket,
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
    count(customer) AS customerRows,
    count(branch) AS branchRows,
    count(productLine) AS productLineRows,
    count(salesPerson) AS salesPersonRows
FROM {{database}}.sales_raw_local
GROUP BY dataset, itemGroup, bucket, upload_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.sales_salesPerson_h_mv ON CLUSTER {{cluster}} TO {{database}}.sales_salesPerson_h_local AS
SELECT
    dataset,
    salesPerson,
    toStartOfHour(time) AS bucket,
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
    count(customer) AS customerRows,
    count(branch) AS branchRows,
    count(productLine) AS productLineRows,
    count(itemGroup) AS itemGroupRows
FROM {{database}}.sales_raw_local
GROUP BY dataset, salesPerson, bucket, upload_id;
