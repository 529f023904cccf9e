/** The database schema as kysely sees it; each area's tables are added by its migrations. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AirlockSchema {}
