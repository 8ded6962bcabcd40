DROP VIEW IF EXISTS {{database}}.sales_hourly_mv ON CLUSTER {{cluster}} SYNC;
DROP TABLE IF EXISTS {{database}}.sales_hourly ON CLUSTER {{cluster}} SYNC;
DROP TABLE IF EXISTS {{database}}.sales_hourly_local ON CLUSTER {{cluster}} SYNC;
DROP TABLE IF EXISTS {{database}}.sales_raw ON CLUSTER {{cluster}} SYNC;
DROP TABLE IF EXISTS {{database}}.sales_raw_local ON CLUSTER {{cluster}} SYNC;
