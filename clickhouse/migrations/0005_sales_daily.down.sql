DROP VIEW IF EXISTS {{database}}.sales_daily_mv;
DROP TABLE IF EXISTS {{database}}.sales_daily;
