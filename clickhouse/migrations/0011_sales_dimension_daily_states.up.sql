-- Daily rollups per breakdown dimension with exact distinct states (issue 17, docs/rollups.md):
-- a breakdown by a dimension (or a filter on one) that asks for unique customers, products,
-- branches or sales people merges the states of sales_<dim>_d over whole UTC days
-- instead of reading the raw table; the hourly sales_<dim>_h (no states) still answers the
-- breakdowns without unique counts. No view feeds them (migration 0010): every load fills every
-- level of the kind registry (src/datasets/sales-rollups.ts, src/ingest/rollup-fill.ts).
--
-- Recorded only after every statement below has run, and nothing reads these tables before then:
-- a run interrupted half-way starts again from nothing (a partial backfill is dropped).

DROP TABLE IF EXISTS {{database}}.sales_branch_d;

DROP TABLE IF EXISTS {{database}}.sales_productLine_d;

DROP TABLE IF EXISTS {{database}}.sales_itemGroup_d;

DROP TABLE IF EXISTS {{database}}.sales_salesPerson_d;

-- Small granules: a one-day question then deserialises a day of exact states, not a month.

CREATE TABLE {{database}}.sales_branch_d
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
    salesPersonRows SimpleAggregateFunction(sum, UInt64),
    customerU AggregateFunction(uniqExact, Nullable(String)),
    itemU AggregateFunction(uniqExact, Nullable(String)),
    salesPersonU AggregateFunction(uniqExact, Nullable(String))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, branch, bucket, upload_id)
SETTINGS allow_nullable_key = 1, index_granularity = 8;

CREATE TABLE {{database}}.sales_productLine_d
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
    salesPersonRows SimpleAggregateFunction(sum, UInt64),
    customerU AggregateFunction(uniqExact, Nullable(String)),
    itemU AggregateFunction(uniqExact, Nullable(String)),
    branchU AggregateFunction(uniqExact, Nullable(String)),
    salesPersonU AggregateFunction(uniqExact, Nullable(String))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, productLine, bucket, upload_id)
SETTINGS allow_nullable_key = 1, index_granularity = 8;

CREATE TABLE {{database}}.sales_itemGroup_d
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
    salesPersonRows SimpleAggregateFunction(sum, UInt64),
    customerU AggregateFunction(uniqExact, Nullable(String)),
    itemU AggregateFunction(uniqExact, Nullable(String)),
    branchU AggregateFunction(uniqExact, Nullable(String)),
    salesPersonU AggregateFunction(uniqExact, Nullable(String))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, itemGroup, bucket, upload_id)
SETTINGS allow_nullable_key = 1, index_granularity = 8;

CREATE TABLE {{database}}.sales_salesPerson_d
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
    itemGroupRows SimpleAggregateFunction(sum, UInt64),
    customerU AggregateFunction(uniqExact, Nullable(String)),
    itemU AggregateFunction(uniqExact, Nullable(String)),
    branchU AggregateFunction(uniqExact, Nullable(String))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, salesPerson, bucket, upload_id)
SETTINGS allow_nullable_key = 1, index_granularity = 8;

-- Backfill from the raw rows, exactly as a load fills them. An upload that a gateway running this
-- release loads meanwhile fills these tables itself: uploads already in a table are skipped.
INSERT INTO {{database}}.sales_branch_d
SELECT
    dataset,
    branch,
    toStartOfDay(time) AS bucket,
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
    count(salesPerson) AS salesPersonRows,
    uniqExactState(customer) AS customerU,
    uniqExactState(item) AS itemU,
    uniqExactState(salesPerson) AS salesPersonU
FROM {{database}}.sales_raw
WHERE upload_id NOT IN (SELECT DISTINCT upload_id FROM {{database}}.sales_branch_d)
GROUP BY dataset, branch, bucket, upload_id;

INSERT INTO {{database}}.sales_productLine_d
SELECT
    dataset,
    productLine,
    toStartOfDay(time) AS bucket,
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
    count(salesPerson) AS salesPersonRows,
    uniqExactState(customer) AS customerU,
    uniqExactState(item) AS itemU,
    uniqExactState(branch) AS branchU,
    uniqExactState(salesPerson) AS salesPersonU
FROM {{database}}.sales_raw
WHERE upload_id NOT IN (SELECT DISTINCT upload_id FROM {{database}}.sales_productLine_d)
GROUP BY dataset, productLine, bucket, upload_id;

INSERT INTO {{database}}.sales_itemGroup_d
SELECT
    dataset,
    itemGroup,
    toStartOfDay(time) AS bucket,
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
    count(salesPerson) AS salesPersonRows,
    uniqExactState(customer) AS customerU,
    uniqExactState(item) AS itemU,
    uniqExactState(branch) AS branchU,
    uniqExactState(salesPerson) AS salesPersonU
FROM {{database}}.sales_raw
WHERE upload_id NOT IN (SELECT DISTINCT upload_id FROM {{database}}.sales_itemGroup_d)
GROUP BY dataset, itemGroup, bucket, upload_id;

INSERT INTO {{database}}.sales_salesPerson_d
SELECT
    dataset,
    salesPerson,
    toStartOfDay(time) AS bucket,
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
    uniqExactState(customer) AS customerU,
    uniqExactState(item) AS itemU,
    uniqExactState(branch) AS branchU
FROM {{database}}.sales_raw
WHERE upload_id NOT IN (SELECT DISTINCT upload_id FROM {{database}}.sales_salesPerson_d)
GROUP BY dataset, salesPerson, bucket, upload_id;
