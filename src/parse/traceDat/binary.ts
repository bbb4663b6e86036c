// trace.dat's byte reader: the shared Bin (src/parse/binary.ts) throwing
// TraceDatError, so a short or malformed read is a clear trace.dat message.

import { Bin as BaseBin } from '../binary';

export class TraceDatError extends Error {
  override name = 'TraceDatError';
}

export class Bin extends BaseBin {
  protected override error(message: string): Error {
    return new TraceDatError(message);
  }
}
