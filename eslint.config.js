// Lint: typescript-eslint, DESIGN.md's import arrows as no-restricted-imports per folder,
// no import cycles, and a 300-line cap per source file.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const SRC_FOLDERS = [
  'core',
  'config',
  'shared',
  'feeds',
  'scoring',
  'stories',
  'pipeline',
  'commands',
  'platforms',
  'storage',
  'scheduler',
  'demo',
  'observability',
];

/** Third-party libraries each folder alone may import (DESIGN.md: one folder per library). */
const LIBRARY_OWNERS = {
  'rss-parser': 'feeds',
  htmlparser2: 'feeds',
  'request-filtering-agent': 'feeds',
  'iconv-lite': 'feeds',
  natural: 'scoring',
  'node-cron': 'scheduler',
  'better-sqlite3': 'storage/sqlite',
  pg: 'storage/postgres',
  '@slack/bolt': 'platforms/slack',
  'discord.js': 'platforms/discord',
  zod: 'config',
  pngjs: 'stories',
  'prom-client': 'observability',
  yaml: 'config',
};

/** folder -> src folders it may import (besides itself). */
const ARROWS = {
  core: [],
  shared: [],
  config: ['core', 'shared'],
  feeds: ['core', 'shared'],
  scoring: ['core', 'shared'],
  stories: ['core', 'shared', 'scoring'],
  pipeline: ['core', 'shared', 'feeds', 'scoring', 'stories'],
  commands: ['core', 'shared', 'pipeline', 'stories'],
  platforms: ['core', 'shared', 'commands', 'pipeline'],
  storage: ['core', 'shared', 'pipeline'],
  scheduler: ['shared', 'pipeline'],
  // The demo's loopback fixture feed server: started by the entry points only.
  demo: ['core', 'shared'],
  // /healthz and /metrics (prom-client).
  observability: ['core', 'shared', 'pipeline'],
};

function boundaryBlock(folder) {
  const forbiddenFolders = SRC_FOLDERS.filter(
    (other) => other !== folder && !ARROWS[folder].includes(other),
  );
  const forbiddenLibraries = Object.entries(LIBRARY_OWNERS)
    .filter(([, owner]) => !(owner === folder || owner.startsWith(`${folder}/`)))
    .map(([library]) => library);
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbiddenFolders.map((other) => ({
              group: [`**/${other}/*`, `../${other}`, `../../${other}`],
              message: `src/${folder} may not import src/${other} (see DESIGN.md import arrows).`,
            })),
            ...forbiddenLibraries.map((library) => ({
              group: [library, `${library}/*`],
              message: `${library} belongs to src/${LIBRARY_OWNERS[library]} only.`,
            })),
            { group: ['**/main.js', '**/cli.js', '**/cli/*', '**/bench/*'], message: 'Only the entry points compose the app.' },
          ],
        },
      ],
    },
  };
}

/** Within platforms/ and storage/, each adapter keeps to its own folder. */
function siblingBlock(parent, children) {
  return children.map((child) => ({
    files: [`src/${parent}/${child}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...SRC_FOLDERS.filter((other) => other !== parent && !ARROWS[parent].includes(other)).map(
              (other) => ({ group: [`**/${other}/*`], message: `src/${parent} may not import src/${other}.` }),
            ),
            ...children
              .filter((other) => other !== child)
              .map((other) => ({
                group: [`../${other}/*`, `**/${parent}/${other}/*`],
                message: `${parent}/${child} may not import ${parent}/${other}.`,
              })),
            ...Object.entries(LIBRARY_OWNERS)
              .filter(([, owner]) => owner !== `${parent}/${child}`)
              .map(([library]) => ({
                group: [library, `${library}/*`],
                message: `${library} belongs to src/${LIBRARY_OWNERS[library]} only.`,
              })),
          ],
        },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'fixtures/'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver()],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }] },
  },
  ...SRC_FOLDERS.filter((folder) => folder !== 'platforms' && folder !== 'storage').map(boundaryBlock),
  ...siblingBlock('platforms', ['console', 'slack', 'discord']),
  ...siblingBlock('storage', ['sqlite', 'postgres']),
);
