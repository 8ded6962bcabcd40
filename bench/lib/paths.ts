import path from 'node:path';
import { ROOT } from '../../test/support/gateway-process';

export { ROOT };
/** Generated CSVs, loaded data directories and results; gitignored, reused between runs. */
export const WORK_DIR = path.join(ROOT, 'bench', '.work');
