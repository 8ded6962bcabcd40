-- Not reversible in place: the hourly rollup's rows are gone. Re-create it with migration 0002's
-- statements and refill it from sales_raw, then point sales_daily_mv back at it (migration 0005).
DROP VIEW IF EXISTS {{database}}.sales_daily_mv;
