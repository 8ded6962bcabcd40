-- Rollups sized to the questions (issue 17, measured in docs/rollups.md): dimensionless
-- totals/series at 15 minutes, an hour and a day, exact distinct states of customer, item and
-- account in the hourly and daily ones, and one hourly rollup per breakdown dimension. The
-- all-dimension rollups stay until the planner no longer reads them (a later migration).
--
-- Recorded only after every statement below has run, and nothing reads these tables before then:
-- a run interrupted half-way starts again from nothing (a partial backfill is dropped).

DROP VIEW IF EXISTS {{database}}.sales_q15_mv;

DROP VIEW IF EXISTS {{database}}.sales_h1_mv;

DROP VIEW IF EXISTS {{database}}.sales_d1_mv;

DROP VIEW IF EXISTS {{database}}.sales_branch_h_mv;

DROP VIEW IF EXISTS {{database}}.sales_productLine_h_mv;

DROP VIEW IF EXISTS {{database}}.sales_itemGroup_h_mv;

DROP VIEW IF EXISTS {{database}}.sales_salesPerson_h_mv;

DROP TABLE IF EXISTS {{database}}.sales_q15;

DROP TABLE IF EXISTS {{database}}.sales_h1;

DROP TABLE IF EXISTS {{database}}.sales_d1;

DROP TABLE IF EXISTS {{database}}.sales_branch_h;

DROP TABLE IF EXISTS {{database}}.sales_productLine_h;

DROP TABLE IF EXISTS {{database}}.sales_itemGroup_h;

DROP TABLE IF EXISTS {{database}}.sales_salesPerson_h;

-- Small granules: a one-day question then deserialises a day of exact states, not a month.

CREATE TABLE {{database}}.sales_q15
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
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, bucket, upload_id)
SETTINGS index_granularity = 96;

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
    accountU AggregateFunction(uniqExact, Nullable(String))
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
    accountU AggregateFunction(uniqExact, Nullable(String))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, bucket, upload_id)
SETTINGS index_granularity = 8;

CREATE TABLE {{database}}.sales_branch_h
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
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, branch, bucket, upload_id)
SETTINGS allow_nullable_key = 1;

CREATE TABLE {{database}}.sales_productLine_h
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
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, productLine, bucket, upload_id)
SETTINGS allow_nullable_key = 1;

CREATE TABLE {{database}}.sales_itemGroup_h
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
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, itemGroup, bucket, upload_id)
SETTINGS allow_nullable_key = 1;

CREATE TABLE {{database}}.sales_salesPerson_h
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
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, salesPerson, bucket, upload_id)
SETTINGS allow_nullable_key = 1;

-- The daily rollup is fed by what the hourly view writes (sums of sums, states merged), never
-- by the raw rows again; it exists before the hourly backfill so that the backfill reaches it.
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
    uniqExactMergeState(accountU) AS accountU
FROM {{database}}.sales_h1
GROUP BY dataset, bucket, upload_id;

CREATE MATERIALIZED VIEW {{database}}.sales_q15_mv TO {{database}}.sales_q15 AS
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
FROM {{database}}.sales_raw
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
    uniqExactState(account) AS accountU
FROM {{database}}.sales_raw
GROUP BY dataset, bucket, upload_id;

CREATE MATERIALIZED VIEW {{database}}.sales_branch_h_mv TO {{database}}.sales_branch_h AS
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
FROM {{database}}.sales_raw
GROUP BY dataset, branch, bucket, upload_id;

CREATE MATERIALIZED VIEW {{database}}.sales_productLine_h_mv TO {{database}}.sales_productLine_h AS
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
FROM {{database}}.sales_raw
GROUP BY dataset, productLine, bucket, upload_id;

CREATE MATERIALIZED VIEW {{database}}.sales_itemGroup_h_mv TO {{database}}.sales_itemGroup_h AS
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
FROM {{database}}.sales_raw
GROUP BY dataset, itemGroup, bucket, upload_id;

CREATE MATERIALIZED VIEW {{database}}.sales_salesPerson_h_mv TO {{database}}.sales_salesPerson_h AS
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
FROM {{database}}.sales_raw
GROUP BY dataset, salesPerson, bucket, upload_id;

-- Backfills from the raw rows. The views above already exist, so an upload that loads meanwhile
-- reaches the rollups through them: uploads a view has begun to write are skipped. An insert that
-- straddles a view's creation cannot be split exactly: the loader's count check (raw = every
-- rollup) then fails that load and removes its rows, and a retry loads it cleanly.

INSERT INTO {{database}}.sales_q15
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
FROM {{database}}.sales_raw
WHERE upload_id NOT IN (SELECT DISTINCT upload_id FROM {{database}}.sales_q15)
GROUP BY dataset, bucket, upload_id;

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
    uniqExactState(account) AS accountU
FROM {{database}}.sales_raw
WHERE upload_id NOT IN (SELECT DISTINCT upload_id FROM {{database}}.sales_h1)
GROUP BY dataset, bucket, upload_id;

INSERT INTO {{database}}.sales_branch_h
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
FROM {{database}}.sales_raw
WHERE upload_id NOT IN (SELECT DISTINCT upload_id FROM {{database}}.sales_branch_h)
GROUP BY dataset, branch, bucket, upload_id;

INSERT INTO {{database}}.sales_productLine_h
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
FROM {{database}}.sales_raw
WHERE upload_id NOT IN (SELECT DISTINCT upload_id FROM {{database}}.sales_productLine_h)
GROUP BY dataset, productLine, bucket, upload_id;

INSERT INTO {{database}}.sales_itemGroup_h
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
FROM {{database}}.sales_raw
WHERE upload_id NOT IN (SELECT DISTINCT upload_id FROM {{database}}.sales_itemGroup_h)
GROUP BY dataset, itemGroup, bucket, upload_id;

INSERT INTO {{database}}.sales_salesPerson_h
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
FROM {{database}}.sales_raw
WHERE upload_id NOT IN (SELECT DISTINCT upload_id FROM {{database}}.sales_salesPerson_h)
GROUP BY dataset, salesPerson, bucket, upload_id;
