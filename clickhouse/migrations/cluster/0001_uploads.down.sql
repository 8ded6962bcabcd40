DROP TABLE IF EXISTS {{database}}.uploads ON CLUSTER {{cluster}} SYNC;
