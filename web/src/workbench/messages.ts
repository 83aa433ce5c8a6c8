import type { Catalogue } from '../messages.ts';

/** The reviewer workbench's texts (审核端). */
export const WORKBENCH_MESSAGES = {
  workbenchTitle: { zh: '审核端：待审列表', en: 'Reviewer workbench: inbox' },
} as const satisfies Catalogue;
