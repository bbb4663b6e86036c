// Build-time modules made by vite.config.ts.
declare module 'virtual:schedmap-samples' {
  /** The one-file build's inlined samples (base64 by file name), or null: fetch them. */
  const samples: { index: { file: string; label: string; description: string }[]; files: Record<string, string> } | null;
  export default samples;
}
