import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';

/**
 * Reads a YAML or JSON file (JSON is YAML, so one parser serves both). A syntax error becomes
 * an error naming the file, line and column.
 */
export async function readStructured(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const pos = error.linePos?.[0];
      const where = pos ? `:${pos.line}:${pos.col}` : '';
      throw new Error(`${file}${where}: not valid YAML/JSON: ${error.message.split('\n')[0]}`, { cause: error });
    }
    throw error;
  }
}
