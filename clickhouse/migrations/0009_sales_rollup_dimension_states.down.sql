-- Back to migration 0007's hourly and daily rollups (no branch/salesPerson states), rebuilt from raw.
DROP VIEW IF EXISTS {{database}}.sales_h1_mv;
DROP VIEW IF EXISTS {{database}}.sales_d1_mv;
DROP TABLE IF EXISTS {{database}}.sales_h1;
DROP TABLE IF EXISTS {{database}}.sales_d1;
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
