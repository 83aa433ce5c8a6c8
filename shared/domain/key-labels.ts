/**
 * What a report key is called, for pages that show an attempt without its registry entry (the
 * reviewer's workbench): `coalConsumed` → 燃煤消耗量 (t), `netConsumed[coke]` → 净消耗量（焦炭）(t).
 * The first industry that has the key names it, power first; industries that share a code
 * (carbon per heat) share its name and unit.
 */
import { splitParameterKey, unitsOf } from './industry.ts';
import { INDUSTRIES } from './industries/index.ts';

export interface KeyDescription {
  readonly zh: string;
  readonly en: string;
  /** Canonical unit (a gaseous material's own). */
  readonly unit: string;
}

export function describeKey(key: string): KeyDescription | undefined {
  const { code, material } = splitParameterKey(key);
  for (const catalogue of INDUSTRIES) {
    const parameter = catalogue.parameters.find((p) => p.code === code);
    if (!parameter || (material === undefined) !== (parameter.perMaterial === undefined)) continue;
    if (material === undefined) return { zh: parameter.zh, en: parameter.en, unit: parameter.unit };
    const m = catalogue.materials.find((x) => x.code === material && parameter.perMaterial?.includes(x.role));
    if (m) return { zh: `${parameter.zh}（${m.zh}）`, en: `${parameter.en} (${m.en})`, unit: unitsOf(parameter, m).unit };
  }
  return undefined;
}
