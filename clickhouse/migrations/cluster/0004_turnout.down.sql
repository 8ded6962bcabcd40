DROP VIEW IF EXISTS {{database}}.turnout_hourly_mv ON CLUSTER {{cluster}} SYNC;
DROP TABLE IF EXISTS {{database}}.turnout_hourly ON CLUSTER {{cluster}} SYNC;
DROP TABLE IF EXISTS {{database}}.turnout_hourly_local ON CLUSTER {{cluster}} SYNC;
DROP TABLE IF EXISTS {{database}}.turnout_raw ON CLUSTER {{cluster}} SYNC;
DROP TABLE IF EXISTS {{database}}.turnout_raw_local ON CLUSTER {{cluster}} SYNC;
DROP TABLE IF EXISTS {{database}}.constituencies_raw ON CLUSTER {{cluster}} SYNC;
