/**
 * The demo enterprise every example file and corpus case is written for: a Jiangxi power
 * company with two coal units and one gas unit. Seed it into a registry to deposit the examples.
 */
import type { Enterprise } from '#domain/registry.ts';

/** `91360100MA35XXXXX` plus its GB 32100 check character. */
export const DEMO_ENTERPRISE_ID = '91360100MA35XXXXXN';

export const DEMO_ENTERPRISE: Enterprise = {
  enterpriseId: DEMO_ENTERPRISE_ID,
  name: '江西示范发电有限公司',
  province: '江西省',
  city: '南昌市',
  industry: 'power',
  units: [
    { unitId: '1', fuel: 'coal', capacityMW: 600 },
    { unitId: '2', fuel: 'coal', capacityMW: 660 },
    { unitId: '3', fuel: 'gas', capacityMW: 400 },
  ],
  obligedFrom: '2024-01',
};

/** The month the example files report. */
export const DEMO_PERIOD = '2026-03';
