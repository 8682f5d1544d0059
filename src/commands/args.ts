/** Splits command text into words, honouring "double" and 'single' quotes. */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: Map<string, string[]>;
}

/** `--name value` flags (repeatable); names in `booleans` take no value. Everything else is positional. */
export function parseArgs(words: readonly string[], booleans: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    if (word.startsWith('--') && word.length > 2) {
      const name = word.slice(2);
      const values = flags.get(name) ?? [];
      if (booleans.includes(name)) values.push('true');
      else values.push(words[++index] ?? '');
      flags.set(name, values);
    } else {
      positional.push(word);
    }
  }
  return { positional, flags };
}
