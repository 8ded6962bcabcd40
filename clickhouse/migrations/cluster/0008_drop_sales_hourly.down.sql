-- Not reversible in place: see ../0008_drop_sales_hourly.down.sql.
DROP VIEW IF EXISTS {{database}}.sales_daily_mv ON CLUSTER {{cluster}};
