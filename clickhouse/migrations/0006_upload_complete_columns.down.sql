ALTER TABLE {{database}}.uploads DROP COLUMN IF EXISTS complete_columns, DROP COLUMN IF EXISTS complete_columns_known;
