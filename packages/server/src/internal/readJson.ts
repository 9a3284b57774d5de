import { ServerError } from '../serverError.js';
import type { AppContext } from './context.js';
import { readBody } from './readBody.js';

/** Reads a small JSON body (config updates) with the same limits as telemetry; empty means `{}`. */
export async function readJson(request: Request, ctx: AppContext): Promise<unknown> {
  const body = await readBody(request, { maxBodyBytes: ctx.maxBodyBytes, maxDecompressedBytes: ctx.maxDecompressedBytes });
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    const m = /at position (\d+)/.exec((error as Error).message);
    throw new ServerError('INVALID_JSON', `body is not valid JSON: ${(error as Error).message}`, {
      path: '(body)',
      ...(m ? { position: Number(m[1]) } : {}),
      cause: error,
    });
  }
}
