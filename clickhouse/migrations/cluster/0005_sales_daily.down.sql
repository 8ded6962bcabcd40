DROP VIEW IF EXISTS {{database}}.sales_daily_mv ON CLUSTER {{cluster}} SYNC;
DROP TABLE IF EXISTS {{database}}.sales_daily ON CLUSTER {{cluster}} SYNC;
DROP TABLE IF EXISTS {{database}}.sales_daily_local ON CLUSTER {{cluster}} SYNC;
