// Messages between the UI and the parse Worker.

import type { DroppedInput } from '../model/runs';
import type { CpuSlices } from '../render/sliceIndex';

export interface ParseRequest {
  type: 'parse';
  id: number;
  files: File[];
}

export interface CancelRequest {
  type: 'cancel';
  id: number;
}

export type WorkerRequest = ParseRequest | CancelRequest;

export interface FileError {
  file: string;
  message: string;
}

export type WorkerReply =
  | { type: 'progress'; id: number; file: string; fileIndex: number; fileCount: number; bytesRead: number; totalBytes: number }
  | {
      type: 'done';
      id: number;
      inputs: DroppedInput[];
      errors: FileError[];
      /** Per input, a trace's slices grouped by CPU (the map's slice index), null for other inputs. */
      cpuSlices?: (CpuSlices | null)[];
    }
  | { type: 'cancelled'; id: number };
