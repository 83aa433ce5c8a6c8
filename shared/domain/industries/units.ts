/**
 * The unit spellings the industrial catalogues share (cement, aluminium, steel), each mapped to the
 * factor converting it to the canonical unit, and how their cross-checks print a figure. Power
 * keeps its own tables in power.ts: their spellings and order are those its reports have been
 * judged with since 2022.
 */

export const tonnes = { t: 1, 吨: 1, kt: 1000, 千吨: 1000, '10^4t': 10000, 万吨: 10000 } as const;
export const percent = { '%': 1, percent: 1 } as const;
export const megawattHours = { MWh: 1, 兆瓦时: 1, kWh: 0.001, 千瓦时: 0.001, '10^4kWh': 10, 万kWh: 10, 万千瓦时: 10 } as const;
/** A gaseous material's quantity (natural gas, blast furnace gas): canonical 10⁴ Nm³. */
export const cubicMetres = { unit: '10^4Nm3', units: { '10^4Nm3': 1, 万Nm3: 1, 万立方米: 1, Nm3: 0.0001, 立方米: 0.0001 } } as const;

/** A cross-check's figure as its finding prints it: at most `digits` decimals, no trailing zeros. */
export const round = (n: number, digits = 3) => String(+n.toFixed(digits));
