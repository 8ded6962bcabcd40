import { param, sql, trustedTable, type Sql } from '../warehouse/sql';
import { lineBreaksInRecord, rowProblems, type CsvLayout } from './csv-rules';
import { s3Source, LOAD_SETTINGS, type ObjectSource } from './load-statement';

/** Validation reads the file with exactly the load's reader settings. */
export const VALIDATION_SETTINGS = LOAD_SETTINGS;

/**
 * The validation pass: ClickHouse parses every record of the stored object with the load's
 * reader and rules, and writes one row per problem into `upload_row_errors`, so no list of errors
 * ever passes through the gateway's memory.
 *
 * Line numbers: `rowNumberInAllBlocks()` numbers records in file order (measured: 3 M records,
 * 52 MB, default threads, no record out of order). A record starts on line
 * `firstLine + (record - 1) + line breaks inside earlier records' quoted fields`; the running sum
 * runs only over records that are bad or span several lines, so its memory stays small.
 */
export function buildValidationStatement(input: {
  database: string;
  layout: CsvLayout;
  uploadId: string;
  source: ObjectSource;
  /** Line on which the first data record starts (2, unless the header spans lines). */
  firstLine: number;
}): Sql {
  // The column of each error as the file spelled it. Only mapped columns are judged, so only their
  // names are sent (shortened): a wide header never swells the statement.
  const names = input.layout.mapping.fileColumns.map((f) => (f.column ? f.header.slice(0, 200) : ''));
  const headers = param(names, 'Array(String)');
  return sql`INSERT INTO ${trustedTable(input.database, 'upload_row_errors')} (upload_id, record, line, column_name, reason, value)
SELECT ${input.uploadId}, record, line, if(p.1 < 0, '', arrayElement(${headers}, p.1 + 1)), p.2, p.3
FROM (
  SELECT record, problems,
         ${param(input.firstLine, 'UInt64')} + record - 1 + sum(breaks) OVER (ORDER BY record ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS line
  FROM (
    SELECT rowNumberInAllBlocks() + 1 AS record, ${rowProblems(input.layout)} AS problems, ${lineBreaksInRecord(input.layout)} AS breaks
    FROM ${s3Source(input.source, input.layout)}
  )
  WHERE breaks > 0 OR notEmpty(problems)
)
ARRAY JOIN problems AS p`;
}
