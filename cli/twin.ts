/**
 * The running local twin, if any: its state file (.twin/twin.json, or EVIDENCE_TWIN_STATE) when
 * the process that wrote it is alive. Light on purpose: people's commands read it to find the
 * twin's OpenID provider and API without loading the AWS SDK.
 */
import { existsSync, readFileSync } from 'node:fs';
import { TWIN_STATE_FILE, type TwinState } from '#resources/twin-state.ts';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readTwinState(): TwinState | undefined {
  if (!existsSync(TWIN_STATE_FILE)) return undefined;
  const state = JSON.parse(readFileSync(TWIN_STATE_FILE, 'utf8')) as TwinState;
  return pidAlive(state.pid) ? state : undefined;
}
