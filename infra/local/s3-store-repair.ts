/**
 * s3rver writes an object's bytes, then its MD5, then its metadata, and answers the PUT only after
 * the last, so an object whose metadata is missing or cut short was never acknowledged. A twin killed (kill -9) in between leaves an object without complete metadata: a PUT
 * that never succeeded, which S3 would never store, and which makes s3rver's listing fail
 * (InternalError) until it is gone. Before the emulator opens the folder, every such object is
 * removed, so a restart sees exactly the uploads that were acknowledged.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const OBJECT = '._S3rver_object';
const SIDECARS = ['', '.md5'].map((suffix) => `${OBJECT}${suffix}`).concat(['._S3rver_metadata.json']);

/** The metadata is written last, after the MD5 (which s3rver recomputes when it is missing). */
function isComplete(objectPath: string): boolean {
  try {
    JSON.parse(readFileSync(`${objectPath.slice(0, -OBJECT.length)}._S3rver_metadata.json`, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

function* objectFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* objectFiles(path);
    else if (entry.name.endsWith(OBJECT)) yield path;
  }
}

/** Removes the objects whose PUT never completed; returns their paths (relative to `s3Directory`). */
export function removeIncompleteObjects(s3Directory: string): string[] {
  const removed: string[] = [];
  for (const objectPath of objectFiles(s3Directory)) {
    if (isComplete(objectPath)) continue;
    const base = objectPath.slice(0, -OBJECT.length);
    for (const suffix of SIDECARS) rmSync(`${base}${suffix}`, { force: true });
    removed.push(objectPath.slice(s3Directory.length + 1, -OBJECT.length));
  }
  return removed;
}
