ALTER TABLE {{database}}.uploads ON CLUSTER {{cluster}} DROP COLUMN IF EXISTS complete_columns, DROP COLUMN IF EXISTS complete_columns_known;
