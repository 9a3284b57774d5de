import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import { ConfigError, isConfigError, type ConfigIssue } from './configError.js';
import { MAX_CONFIG_BYTES } from './limits.js';
import { beaconConfigSchema, type BeaconConfig } from './schema.js';

type Position = { line: number; column: number };

/**
 * The YAML library, loaded on first use: it is some 40 CommonJS modules whose loading costs
 * about 0.1 s of every start (more on a busy machine), and most runs (`beacon analyze` without
 * `--config`) never parse YAML. CommonJS, so a synchronous require loads it.
 */
let yamlLib: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  yamlLib ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yamlLib;
}

function positionOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[], key?: string): Position | undefined {
  const { isMap, isScalar } = yaml();
  // Walk down as far as the document goes, so a bad value points at itself and a missing
  // section points at its parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as (string | number)[], true) as unknown;
    if (key !== undefined && depth === path.length && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return { line: lines.linePos(range[0]).line, column: lines.linePos(range[0]).col };
    }
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return { line: lines.linePos(range[0]).line, column: lines.linePos(range[0]).col };
  }
  return undefined;
}

function issuesOf(error: z.ZodError, doc?: Document, lines?: LineCounter): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const segments = key === undefined ? issue.path : [...issue.path, key];
      const path = segments.map(String).join('.') || '(root)';
      const message = key === undefined ? issue.message : `unknown key "${key}"`;
      const pos = doc && lines ? positionOf(doc, lines, issue.path, key) : undefined;
      out.push({ path, message, ...pos });
    }
  }
  return out;
}

/** Formats issues one per line, `file:line:column: path: message`. */
export function formatIssues(issues: readonly ConfigIssue[], source: string): string {
  return issues
    .map((i) => `${source}${i.line ? `:${i.line}:${i.column ?? 1}` : ''}: ${i.path}: ${i.message}`)
    .join('\n');
}

/**
 * Parses and validates configuration text (YAML, JSON being a subset).
 * @param source the file name used in error messages
 * @throws {@link ConfigError} naming every bad key with its line
 */
export function parseConfig(text: string, source = 'config.yaml'): BeaconConfig {
  if (text.length > MAX_CONFIG_BYTES) throw tooLarge(source, text.length);
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e): ConfigIssue => {
      const pos = lines.linePos(e.pos[0]);
      return { path: '(syntax)', message: e.message.split('\n')[0] ?? e.code, line: pos.line, column: pos.col };
    });
    throw new ConfigError('CONFIG_SYNTAX', `${source} is not valid YAML:\n${formatIssues(issues, source)}`, issues);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (cause) {
    // An alias to an anchor that is not set, or an alias bomb: found by the fuzz suite.
    const issue: ConfigIssue = { path: '(syntax)', message: (cause as Error).message };
    throw new ConfigError('CONFIG_SYNTAX', `${source} is not valid YAML:\n${formatIssues([issue], source)}`, [issue], { cause });
  }
  const result = beaconConfigSchema.safeParse(raw);
  if (!result.success) {
    const issues = issuesOf(result.error, doc, lines);
    throw new ConfigError('CONFIG_INVALID', `${source} has ${issues.length} problem(s):\n${formatIssues(issues, source)}`, issues);
  }
  return result.data;
}

/**
 * Validates a configuration object that did not come from a file (an API body, code).
 * @throws {@link ConfigError} naming every bad key path
 */
export function validateConfig(raw: unknown, source = 'config'): BeaconConfig {
  const result = beaconConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issues = issuesOf(result.error);
    throw new ConfigError('CONFIG_INVALID', `${source} has ${issues.length} problem(s):\n${formatIssues(issues, source)}`, issues);
  }
  return result.data;
}

function tooLarge(source: string, size: number): ConfigError {
  const issue: ConfigIssue = { path: '(file)', message: `is ${size} bytes, larger than ${MAX_CONFIG_BYTES} bytes (the most a configuration may be)` };
  return new ConfigError('CONFIG_INVALID', `${source}: ${issue.message}`, [issue]);
}

/**
 * Reads, parses and validates a configuration file.
 * @throws {@link ConfigError} when the file is missing, is not YAML, or has a bad key or value
 */
export async function loadConfig(path: string): Promise<BeaconConfig> {
  let text: string;
  try {
    // Refused before reading: a 100 MB file would take gigabytes once parsed.
    const { size } = await stat(path);
    if (size > MAX_CONFIG_BYTES) throw tooLarge(path, size);
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if (isConfigError(cause)) throw cause;
    throw new ConfigError('CONFIG_NOT_FOUND', `cannot read configuration file ${path}: ${(cause as Error).message}`, [], { cause });
  }
  return parseConfig(text, path);
}

/** The configuration with every default filled in, as if from an empty file. */
export function defaultConfig(): BeaconConfig {
  return beaconConfigSchema.parse({});
}
