// Saving exports: file names from untrusted labels.

import { describe, expect, it } from 'vitest';
import { safeFileName } from './exportData';

describe('exports', () => {
  it('file names from untrusted labels', () => {
    expect(safeFileName('../../etc/passwd')).toBe('etc_passwd');
    expect(safeFileName('PLE on (patched)')).toBe('PLE_on_patched_');
    expect(safeFileName('')).toBe('schedmap');
  });
});
