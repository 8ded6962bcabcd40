DROP VIEW IF EXISTS {{database}}.sales_hourly_mv;
DROP TABLE IF EXISTS {{database}}.sales_hourly;
DROP TABLE IF EXISTS {{database}}.sales_raw;
