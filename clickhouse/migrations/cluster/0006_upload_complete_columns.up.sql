-- Cluster counterpart of ../0006_upload_complete_columns.up.sql.
-- Optional columns that every loaded row of an upload carries, counted right after its load.
-- While every visible upload of a dataset carries a column in full, any slice of the dataset is
-- fully covered by it, so KPI queries need not count its rows. complete_columns_known is 0 for
-- uploads recorded before this existed: the gateway counts those once, in the background, at start.
ALTER TABLE {{database}}.uploads ON CLUSTER {{cluster}}
    ADD COLUMN IF NOT EXISTS complete_columns Array(String) DEFAULT [],
    ADD COLUMN IF NOT EXISTS complete_columns_known UInt8 DEFAULT 0;
