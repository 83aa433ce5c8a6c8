/**
 * What a report key is called, for pages that show an attempt without its registry entry (the
 * reviewer's workbench): `coalConsumed` → 燃煤消耗量 (t), `netConsumed[coke]` → 净消耗量（焦炭）(t).
 * The first industry that has the key names it, power first; industries that share a code
 * (carbon per heat) share its name and unit.
 */
import { entryOfKey, unitsOf } from './industry.ts';
import { INDUSTRIES } from './industries/index.ts';

export interface KeyDescription {
  readonly zh: string;
  readonly en: string;
  /** Canonical unit (a gaseous material's own). */
  readonly unit: string;
}

export function describeKey(key: string): KeyDescription | undefined {
  const entry = firstEntryOfKey(key);
  if (!entry) return undefined;
  const { parameter, material: m } = entry;
  return m
    ? { zh: `${parameter.zh}（${m.zh}）`, en: `${parameter.en} (${m.en})`, unit: unitsOf(parameter, m).unit }
    : { zh: parameter.zh, en: parameter.en, unit: parameter.unit };
}

/** The Chinese name a key is written under in a report (`熟料产量`, `净消耗量[焦炭]`): the first industry that has it, power first. */
export function chineseNameOf(key: string): string | undefined {
  const entry = firstEntryOfKey(key);
  return entry && (entry.material ? `${entry.parameter.zh}[${entry.material.zh}]` : entry.parameter.zh);
}

function firstEntryOfKey(key: string): ReturnType<typeof entryOfKey> {
  for (const catalogue of INDUSTRIES) {
    const entry = entryOfKey(catalogue, key);
    if (entry) return entry;
  }
  return undefined;
}
