import { describe, expect, it } from 'vitest';
import { unknownRecordingHost } from '../model/types';
import { recordingHostText } from './recordingHost';

const none = unknownRecordingHost();

describe('recordingHostText', () => {
  it('the facts the file has, in order; CPUs once when all are online', () => {
    expect(
      recordingHostText({
        ...none,
        hostname: 'vm',
        osRelease: '6.18.44-fc-v1098',
        arch: 'x86_64',
        cpusOnline: 2,
        cpusAvailable: 2,
        recorder: 'perf 6.1.187',
      }),
    ).toBe('vm, 6.18.44-fc-v1098, x86_64, 2 CPUs, perf 6.1.187');
  });

  it('CPUs offline at record time are said; missing facts are left out', () => {
    expect(recordingHostText({ ...none, cpusOnline: 6, cpusAvailable: 8 })).toBe('6 of 8 CPUs online');
    expect(recordingHostText({ ...none, osRelease: '4.13.9', recorder: 'trace-cmd 2.9.7' })).toBe(
      '4.13.9, trace-cmd 2.9.7',
    );
    expect(recordingHostText(none)).toBe('');
  });
});
