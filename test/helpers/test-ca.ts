import { makeCa, type TestCa } from './make-ca.ts';
import { tempDir } from './temp-dir.ts';

export type { TestCa };

/** A throwaway CA and loopback server certificate in a temp dir removed after the test. */
export function makeTestCa(): TestCa {
  return makeCa(tempDir('haul-ca-'));
}
