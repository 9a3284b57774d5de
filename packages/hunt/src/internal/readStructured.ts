import { readFile } from 'node:fs/promises';
import { HuntError, type HuntErrorCode } from '../huntError.js';

/**
 * Reads a YAML or JSON file (JSON is YAML, so one parser serves both). A syntax error becomes
 * a {@link HuntError} with `code` naming the file, line and column.
 */
export async function readStructured(file: string, code: HuntErrorCode): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new HuntError(code, `${file}: cannot read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const { parse: parseYaml, YAMLParseError } = await import('yaml');
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const pos = error.linePos?.[0];
      const where = pos ? `:${pos.line}:${pos.col}` : '';
      throw new HuntError(code, `${file}${where}: not valid YAML/JSON: ${error.message.split('\n')[0]}`, { cause: error });
    }
    throw error;
  }
}
