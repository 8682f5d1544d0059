import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { AppError, type ErrorCode } from '../core/errors.js';

/** One problem in a configuration file, located for a human: `file:line key.path: message`. */
export interface ConfigProblem {
  readonly file: string;
  readonly line: number | null;
  readonly path: string;
  readonly message: string;
}

export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line === null ? problem.file : `${problem.file}:${problem.line}`;
  return `${where} ${problem.path || '(root)'}: ${problem.message}`;
}

/** Finds the YAML node at a zod issue path so the error can name its line. */
function lineOf(root: Node | null, path: readonly PropertyKey[], counter: LineCounter): number | null {
  let node: unknown = root;
  let lastRange: [number, number, number] | undefined = (root as { range?: [number, number, number] } | null)
    ?.range;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
    } else {
      break;
    }
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) lastRange = range;
  }
  return lastRange ? counter.linePos(lastRange[0]).line : null;
}

/**
 * Parses YAML text and validates it with a zod schema. On any problem, throws one AppError
 * listing every problem (YAML syntax and schema alike) with file:line and key path.
 */
export function parseYamlWithSchema<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  code: ErrorCode = 'config_invalid',
): z.output<S> {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const problems: ConfigProblem[] = document.errors.map((error) => ({
    file,
    line: error.linePos?.[0]?.line ?? counter.linePos(error.pos[0]).line,
    path: '',
    message: error.message.split('\n')[0] ?? error.message,
  }));
  if (problems.length === 0) {
    const result = schema.safeParse(document.toJS({ maxAliasCount: 100 }));
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      problems.push({
        file,
        line: lineOf(document.contents, issue.path, counter),
        path: issue.path.map(String).join('.'),
        message: issue.message,
      });
    }
  }
  const what = code === 'profile_invalid' ? 'invalid profile' : 'invalid configuration';
  throw new AppError(code, `${what}:\n  ${problems.map(formatProblem).join('\n  ')}`, {
    context: { file, problems },
  });
}
