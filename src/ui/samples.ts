// Built-in sample traces: real recordings in public/samples (gzipped), fetched
// from the page's own folder, or inlined in the one-file build.

import inlined from 'virtual:schedmap-samples';

export interface Sample {
  file: string;
  /** A second trace opened beside the first, for a comparison. */
  with?: string;
  label: string;
  description: string;
}

const base = `${import.meta.env.BASE_URL}samples/`;

export function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function listSamples(): Promise<Sample[]> {
  if (inlined) return inlined.index;
  try {
    const r = await fetch(`${base}index.json`);
    return r.ok ? ((await r.json()) as Sample[]) : [];
  } catch {
    return [];
  }
}

async function sampleFile(file: string): Promise<File> {
  if (inlined) return new File([base64Bytes(inlined.files[file]) as Uint8Array<ArrayBuffer>], file);
  const r = await fetch(`${base}${file}`);
  if (!r.ok) throw new Error(`sample ${file}: HTTP ${r.status}`);
  return new File([await r.blob()], file);
}

/** The sample's trace, and the one it is opened beside (if any). */
export async function sampleFiles(sample: Sample): Promise<File[]> {
  return Promise.all([sample.file, ...(sample.with ? [sample.with] : [])].map(sampleFile));
}
