import { DATASET_KINDS, type DatasetKindName } from '../../src/datasets/dataset-kinds';
import { StagedLoad, stageTable } from '../../src/ingest/staged-load';
import { trustedTable, type Sql } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { silentLogger } from './test-stack';

/**
 * Writes rows of one upload as a load does, without a file: `insert` fills the upload's staging
 * table (`INSERT INTO <stage> …`), then every rollup is filled from it and the rows move into
 * the raw table. Loads fill the rollups themselves (no view feeds them), so a test that writes
 * raw rows of a visible upload writes them this way.
 */
export async function writeUploadRows(
  warehouse: Warehouse,
  upload: { kind: DatasetKindName; dataset: string; id: string },
  insert: (stage: Sql) => Sql,
): Promise<void> {
  const staged = new StagedLoad({ warehouse, logger: silentLogger } as ConstructorParameters<
    typeof StagedLoad
  >[0]);
  const stage = stageTable(upload.id);
  await warehouse.command(staged.createStage(DATASET_KINDS[upload.kind], stage));
  await warehouse.command(insert(trustedTable(warehouse.database, stage)));
  await staged.fromStage({ ...upload, attempts: 1, bytes: 0 }, stage);
}
