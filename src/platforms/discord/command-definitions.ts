/**
 * The application commands wirewatch registers on Discord: the same commands as Slack's manifest,
 * with options (Discord has no free-text argument line) and autocomplete for entity names.
 * Configuration subcommands are checked server-side on every use, whatever
 * default_member_permissions a server admin sets.
 */
const STRING = 3;
const BOOLEAN = 5;
const CHAT_INPUT = 1;

const text = (name: string, description: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: STRING, name, description, required: false, max_length: 400, ...extra });
const choices = (...values: string[]): { name: string; value: string }[] => values.map((value) => ({ name: value, value }));

export const DISCORD_COMMANDS: readonly Record<string, unknown>[] = [
  {
    name: 'timeline',
    type: CHAT_INPUT,
    description: 'The story so far: relevant items for an entity, profile or words, oldest first',
    options: [
      text('query', 'An entity (any language or spelling), a profile id or words', { autocomplete: true }),
      text('since', 'How far back, e.g. 30d or 2025-06-01'),
      { type: BOOLEAN, name: 'chart', description: 'Attach a chart of stories per day', required: false },
    ],
  },
  {
    name: 'watch',
    type: CHAT_INPUT,
    description: 'What this channel watches; add, remove or dry-run watch terms',
    options: [
      { ...text('action', 'list, add, remove or test'), choices: choices('list', 'add', 'remove', 'test') },
      text('term', 'The term (add/remove, e.g. "SOCAR --weight 5") or text to test', { autocomplete: true }),
    ],
  },
  {
    name: 'feeds',
    type: CHAT_INPUT,
    description: 'The feeds wirewatch polls and their health',
    options: [{ ...text('action', 'list, add or remove'), choices: choices('list', 'add', 'remove') }, text('feed', 'Feed URL or id')],
  },
  { name: 'digest', type: CHAT_INPUT, description: 'A digest of recent relevant stories', options: [text('args', 'Options, e.g. --since 1d')] },
  { name: 'explain', type: CHAT_INPUT, description: 'Why an item scored as it did', options: [text('link', 'The item link')] },
  {
    name: 'wirewatch',
    type: CHAT_INPUT,
    description: 'What wirewatch can do (help); paused destinations (status); deliver to one again (resume)',
    options: [{ ...text('action', 'help, status or resume'), choices: choices('help', 'status', 'resume') }, text('destination', 'The destination id to resume (default: this channel’s)')],
  },
];

interface OptionValue {
  readonly name: string;
  readonly value?: string | number | boolean;
  readonly options?: readonly OptionValue[];
}

function quoted(value: string): string {
  return /\s/.test(value) && !/["']/.test(value) ? `"${value}"` : value;
}

/** The command line an interaction stands for, e.g. `timeline "State Oil Company" --since 30d`. */
export function commandLine(name: string, options: readonly OptionValue[] = []): string {
  const get = (key: string): string => {
    const value = options.find((option) => option.name === key)?.value;
    return value === undefined ? '' : String(value).trim();
  };
  switch (name) {
    case 'wirewatch':
      return ['wirewatch', get('action') || 'help', get('destination')].filter(Boolean).join(' ');
    case 'timeline': {
      const since = get('since');
      const chart = options.find((option) => option.name === 'chart')?.value === true;
      return ['timeline', quoted(get('query')), since ? `--since ${since}` : '', chart ? '--chart' : ''].filter(Boolean).join(' ');
    }
    case 'watch':
      return ['watch', get('action') || 'list', get('term')].filter(Boolean).join(' ');
    case 'feeds':
      return ['feeds', get('action') || 'list', get('feed')].filter(Boolean).join(' ');
    default:
      return [name, ...options.map((option) => (option.value === undefined ? '' : String(option.value)))].filter(Boolean).join(' ');
  }
}
