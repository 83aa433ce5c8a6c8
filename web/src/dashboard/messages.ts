import type { Catalogue } from '../messages.ts';

/** The department dashboard's texts (管理端). */
export const DASHBOARD_MESSAGES = {
  dashboardTitle: { zh: '管理端：及时率与一次通过率', en: 'Department dashboard: on-time and first-pass rates' },
} as const satisfies Catalogue;
