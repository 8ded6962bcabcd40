-- Raw sales lines. Money and quantities are Decimal (exact sums); optional columns are
-- Nullable so that "not in the file" / "empty cell" stays distinguishable from zero.
-- upload_id lets readers hide an upload until it is LOADED and lets a failed load be removed.
CREATE TABLE IF NOT EXISTS {{database}}.sales_raw
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
ENGINE = MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (dataset, time);

-- Hourly rollup (sums are named <column>Sum so they never shadow raw columns in the view) keyed by the four breakdown dimensions. Every optional measure has a row
-- count beside its sum: coverage (rows that carry the column / all rows) comes from the same
-- query as the value. Distinct counts of item/customer are not kept here: merging exact
-- distinct states over a rollup that is only ~5x smaller than raw is slower than scanning raw.
CREATE TABLE IF NOT EXISTS {{database}}.sales_hourly
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
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (dataset, hour, branch, productLine, itemGroup, salesPerson, upload_id)
SETTINGS allow_nullable_key = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.sales_hourly_mv TO {{database}}.sales_hourly AS
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
FROM {{database}}.sales_raw
GROUP BY dataset, hour, branch, productLine, itemGroup, salesPerson, upload_id;
