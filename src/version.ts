/** Tool name and version, read from package.json once (shown in reports for reproducibility). */
import { packageRoot } from './util/package-root.js';

const { pkg } = packageRoot(import.meta.url);
if (pkg === null) throw new Error('breakeven: package.json not found above its code');
export const TOOL_NAME = 'breakeven';
export const TOOL_VERSION: string = pkg.version;
