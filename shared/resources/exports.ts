/** Nightly-summary's exports sit under this prefix in the export bucket (the dashboard bucket in the cloud); the stack grants it by the same name. */
export const EXPORTS_PREFIX = 'exports/';
