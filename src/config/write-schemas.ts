/**
 * Generate `schemas/<kind>.schema.json` from the zod schemas (`npm run schemas`), so editors
 * validate config files as they are typed (YAML language server reads `$schema`) and show
 * each field's `description` on hover. Input side of the schemas (`io: 'input'`): what a
 * user may write, expressions included. Also rewrites docs/config.md's field reference
 * (config/docs.ts) from the same schemas. Tests check the committed files are up to date.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { FileKinds } from './schema.js';
import type { FileKind } from './schema.js';
import { BUNDLED_ROOT } from './load.js';
import { withFieldReference } from './docs.js';

export const CONFIG_DOCS = join(BUNDLED_ROOT, 'docs', 'config.md');

/** docs/config.md with its generated field reference brought up to date. */
export function configDocsText(current: string = readFileSync(CONFIG_DOCS, 'utf8')): string {
  return withFieldReference(current);
}

/** The JSON Schema text of one file kind, as committed (2-space JSON, trailing newline). */
export function schemaText(kind: FileKind): string {
  const json = z.toJSONSchema(FileKinds[kind], { io: 'input', unrepresentable: 'any', reused: 'ref' }) as Record<string, unknown>;
  const doc = { $id: `https://breakeven.local/schemas/${kind}.schema.json`, title: `breakeven ${kind} file`, ...json };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export const SCHEMA_DIR = join(BUNDLED_ROOT, 'schemas');

export function writeSchemas(dir: string = SCHEMA_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const kind of Object.keys(FileKinds) as FileKind[]) {
    const file = join(dir, `${kind}.schema.json`);
    writeFileSync(file, schemaText(kind));
    written.push(file);
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of writeSchemas()) process.stdout.write(`wrote ${f}\n`);
  writeFileSync(CONFIG_DOCS, configDocsText());
  process.stdout.write(`wrote ${CONFIG_DOCS}\n`);
}
