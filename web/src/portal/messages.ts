import type { Catalogue } from '../messages.ts';

/** The enterprise portal's texts (企业端). */
export const PORTAL_MESSAGES = {
  portalTitle: { zh: '企业端：月度存证', en: 'Enterprise portal: monthly deposits' },
} as const satisfies Catalogue;
