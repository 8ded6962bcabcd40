DROP TABLE IF EXISTS {{database}}.upload_row_errors;
ALTER TABLE {{database}}.uploads DROP COLUMN IF EXISTS mode, DROP COLUMN IF EXISTS max_bad_rows, DROP COLUMN IF EXISTS duplicate_of, DROP COLUMN IF EXISTS replaces, DROP COLUMN IF EXISTS replaced_by, DROP COLUMN IF EXISTS attempts, DROP COLUMN IF EXISTS header, DROP COLUMN IF EXISTS row_error_count, DROP COLUMN IF EXISTS row_errors_sample;
