DROP TABLE IF EXISTS {{database}}.uploads;
