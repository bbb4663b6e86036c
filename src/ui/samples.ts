// Built-in sample traces shipped in public/samples (real recordings, gzipped).

export interface Sample {
  file: string;
  label: string;
  description: string;
}

const base = `${import.meta.env.BASE_URL}samples/`;

export async function listSamples(): Promise<Sample[]> {
  const r = await fetch(`${base}index.json`);
  if (!r.ok) return [];
  return (await r.json()) as Sample[];
}

export async function sampleFile(sample: Sample): Promise<File> {
  const r = await fetch(`${base}${sample.file}`);
  if (!r.ok) throw new Error(`sample ${sample.file}: HTTP ${r.status}`);
  const blob = await r.blob();
  return new File([blob], sample.file);
}
