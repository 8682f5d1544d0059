/** Where the Postgres tests connect: CI and this machine run Postgres on loopback with trust auth. */
export const POSTGRES_URL = process.env.WIREWATCH_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
