-- Exact distinct states of branch and salesPerson in the dimensionless hourly and daily rollups
-- (issue 17, docs/rollups.md): a card or UTC series asking for unique branches or sales people,
-- with or without unique customers and products, merges states of sales_d1/sales_h1 instead of
-- reading raw. Existing rows cannot gain a state in place, so both tables are rebuilt: the
-- hourly one from the raw rows, the daily one from what its view receives from the hourly one.
--
-- Recorded only after every statement below has run, and nothing reads these tables before then:
-- a run interrupted half-way starts again from nothing (a partial backfill is dropped).

DROP VIEW IF EXISTS {{database}}.sales_h1_mv;

DROP VIEW IF EXISTS {{database}}.sales_d1_mv;

DROP TABLE IF EXISTS {{database}}.sales_h1;

DROP TABLE IF EXISTS {{database}}.sales_d1;

-- Small granules: a one-day question then deserialises a day of exact states, not a month.

CREATE TABLE {{database}}.sales_h1
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
    accountU AggregateFunction(uniqExact, Nullable(String)),
    branchU AggregateFunction(uniqExact, Nullable(String)),
    salesPersonU AggregateFunction(uniqExact, Nullable(String))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, bucket, upload_id)
SETTINGS index_granularity = 24;

CREATE TABLE {{database}}.sales_d1
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
    accountU AggregateFunction(uniqExact, Nullable(String)),
    branchU AggregateFunction(uniqExact, Nullable(String)),
    salesPersonU AggregateFunction(uniqExact, Nullable(String))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, bucket, upload_id)
SETTINGS index_granularity = 8;

-- The daily rollup is fed by what the hourly view and backfill write (sums of sums, states
-- merged), never by the raw rows again; it exists before the hourly backfill so that the backfill
-- reaches it.
CREATE MATERIALIZED VIEW {{database}}.sales_d1_mv TO {{database}}.sales_d1 AS
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
    uniqExactMergeState(accountU) AS accountU,
    uniqExactMergeState(branchU) AS branchU,
    uniqExactMergeState(salesPersonU) AS salesPersonU
FROM {{database}}.sales_h1
GROUP BY dataset, bucket, upload_id;

CREATE MATERIALIZED VIEW {{database}}.sales_h1_mv TO {{database}}.sales_h1 AS
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
    uniqExactState(account) AS accountU,
    uniqExactState(branch) AS branchU,
    uniqExactState(salesPerson) AS salesPersonU
FROM {{database}}.sales_raw
GROUP BY dataset, bucket, upload_id;

-- Backfill from the raw rows. The views above already exist, so an upload that loads meanwhile
-- reaches the rollups through them: uploads the hourly view has begun to write are skipped. An
-- insert that straddles the view's creation cannot be split exactly: the loader's count check
-- (raw = every rollup) then fails that load and removes its rows, and a retry loads it cleanly.
INSERT INTO {{database}}.sales_h1
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
    uniqExactState(account) AS accountU,
    uniqExactState(branch) AS branchU,
    uniqExactState(salesPerson) AS salesPersonU
FROM {{database}}.sales_raw
WHERE upload_id NOT IN (SELECT DISTINCT upload_id FROM {{database}}.sales_h1)
GROUP BY dataset, bucket, upload_id;
