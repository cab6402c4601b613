/** Tool name and version, read from package.json once (shown in reports for reproducibility). */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
export const TOOL_NAME = 'breakeven';
export const TOOL_VERSION: string = pkg.version;
