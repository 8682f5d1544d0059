import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { AppConfigSchema, type AppConfig } from './app-schema.js';
import { parseYamlWithSchema } from './yaml-source.js';

/** What the process environment may set. Secrets live here only, never in YAML. */
export interface RuntimeEnv {
  readonly configPath: string;
  /** `postgres://…`, `sqlite:PATH`, a plain path, or null for the config's store.path. */
  readonly databaseUrl: string | null;
  readonly logLevel: string;
  readonly slack: { botToken: string; appToken: string | null; signingSecret: string | null } | null;
  readonly discord: { token: string; publicKey: string | null } | null;
  readonly httpPort: number | null;
  /** Address /healthz and /metrics listen on: loopback unless a container publishes them (0.0.0.0). */
  readonly httpHost: string;
  /** How long a relay owns the alerts it claimed before another may send them (seconds). */
  readonly deliveryLeaseSeconds: number;
  /** WIREWATCH_SLACK_API_URL: Slack Web API base (a proxy, or a test server); null for slack.com. */
  readonly slackApiUrl: string | null;
  /** WIREWATCH_DISCORD_API_URL: Discord REST base without version; null for discord.com/api. */
  readonly discordApiUrl: string | null;
  /** DISCORD_APPLICATION_ID: needed by `wirewatch register-commands`. */
  readonly discordApplicationId: string | null;
}

function apiBase(env: NodeJS.ProcessEnv, name: string, problems: string[]): string | null {
  const value = nonEmpty(env[name]);
  if (value === null) return null;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below
  }
  problems.push(`${name} must be an http(s) URL`);
  return null;
}

export interface LoadedConfig {
  readonly config: AppConfig;
  readonly env: RuntimeEnv;
  /** Directory relative paths in the config are resolved against (the working directory). */
  readonly baseDir: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

/** Reads the environment once. Problems name the variable, never its value. */
export function readRuntimeEnv(env: NodeJS.ProcessEnv, cwd: string): RuntimeEnv {
  const problems: string[] = [];
  const logLevel = nonEmpty(env.WIREWATCH_LOG_LEVEL) ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`WIREWATCH_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const portText = nonEmpty(env.WIREWATCH_HTTP_PORT);
  const httpPort = portText === null ? null : Number(portText);
  if (httpPort !== null && !(Number.isInteger(httpPort) && httpPort > 0 && httpPort < 65_536)) {
    problems.push('WIREWATCH_HTTP_PORT must be a TCP port number');
  }
  const leaseText = nonEmpty(env.WIREWATCH_DELIVERY_LEASE);
  const deliveryLeaseSeconds = leaseText === null ? 60 : Number(leaseText);
  if (!(Number.isFinite(deliveryLeaseSeconds) && deliveryLeaseSeconds >= 1 && deliveryLeaseSeconds <= 3600)) {
    problems.push('WIREWATCH_DELIVERY_LEASE must be a number of seconds between 1 and 3600');
  }
  const botToken = nonEmpty(env.SLACK_BOT_TOKEN);
  const appToken = nonEmpty(env.SLACK_APP_TOKEN);
  const signingSecret = nonEmpty(env.SLACK_SIGNING_SECRET);
  if (botToken && !appToken && !signingSecret) {
    problems.push('SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is');
  }
  if (!botToken && (appToken || signingSecret)) problems.push('SLACK_BOT_TOKEN is required with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET');
  const discordToken = nonEmpty(env.DISCORD_TOKEN);
  const publicKey = nonEmpty(env.DISCORD_PUBLIC_KEY);
  if (publicKey !== null && !/^[0-9a-fA-F]{64}$/.test(publicKey)) problems.push('DISCORD_PUBLIC_KEY must be 64 hexadecimal characters');
  const discordApplicationId = nonEmpty(env.DISCORD_APPLICATION_ID);
  if (discordApplicationId !== null && !/^\d{5,25}$/.test(discordApplicationId)) problems.push('DISCORD_APPLICATION_ID must be a numeric id');
  const slackApiUrl = apiBase(env, 'WIREWATCH_SLACK_API_URL', problems);
  const discordApiUrl = apiBase(env, 'WIREWATCH_DISCORD_API_URL', problems);
  if (problems.length > 0) {
    throw new AppError('config_invalid', `invalid environment:\n  ${problems.join('\n  ')}`);
  }
  return {
    configPath: path.resolve(cwd, nonEmpty(env.WIREWATCH_CONFIG) ?? 'config/wirewatch.yaml'),
    databaseUrl: nonEmpty(env.WIREWATCH_DATABASE_URL),
    logLevel,
    slack: botToken ? { botToken, appToken, signingSecret } : null,
    discord: discordToken ? { token: discordToken, publicKey } : null,
    httpPort,
    httpHost: nonEmpty(env.WIREWATCH_HTTP_HOST) ?? '127.0.0.1',
    deliveryLeaseSeconds,
    slackApiUrl,
    discordApiUrl,
    discordApplicationId,
  };
}

/** Loads and validates config/wirewatch.yaml (or WIREWATCH_CONFIG). Throws one AppError listing every problem. */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): LoadedConfig {
  const runtime = readRuntimeEnv(env, cwd);
  let text: string;
  try {
    text = readFileSync(runtime.configPath, 'utf8');
  } catch (cause) {
    throw new AppError('config_invalid', `cannot read configuration file ${runtime.configPath}`, { cause });
  }
  const config = parseYamlWithSchema(text, path.relative(cwd, runtime.configPath) || runtime.configPath, AppConfigSchema);
  return { config, env: runtime, baseDir: cwd };
}
