DROP TABLE IF EXISTS {{database}}.constituencies_raw;
DROP VIEW IF EXISTS {{database}}.turnout_hourly_mv;
DROP TABLE IF EXISTS {{database}}.turnout_hourly;
DROP TABLE IF EXISTS {{database}}.turnout_raw;
