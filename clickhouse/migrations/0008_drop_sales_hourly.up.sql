-- The all-dimension hourly rollup holds about half as many rows as the raw table (every row
-- carries all four dimensions), answers 1.3-2.8x faster than raw at best and was the costliest
-- view of a load (docs/rollups.md). The dimensionless and per-dimension rollups of migration 0007
-- answer what it answered; questions filtering on two or more dimensions keep the all-dimension
-- daily rollup (whole UTC days) or read raw. The daily rollup is now fed from the raw rows: its
-- view groups each inserted block itself, so it no longer depends on the hourly table.
--
-- Recorded only after every statement has run; every statement can run again. A load that
-- inserts while the daily view is swapped may miss it: the loader's count check (raw = every
-- rollup) then fails that load and removes its rows, and a retry loads it cleanly.
DROP VIEW IF EXISTS {{database}}.sales_daily_mv;

CREATE MATERIALIZED VIEW {{database}}.sales_daily_mv TO {{database}}.sales_daily AS
SELECT
    dataset,
    toStartOfDay(time) AS day,
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
GROUP BY dataset, day, branch, productLine, itemGroup, salesPerson, upload_id;

DROP VIEW IF EXISTS {{database}}.sales_hourly_mv;

DROP TABLE IF EXISTS {{database}}.sales_hourly;
