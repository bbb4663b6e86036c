import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'dist-single', 'dist-cli', 'node_modules', 'test-results', 'playwright-report', 'bench-out'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Trace text is untrusted: never let it reach the DOM as HTML.
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Trace contents are untrusted: use textContent.' },
        { property: 'outerHTML', message: 'Trace contents are untrusted: use textContent.' },
        { property: 'insertAdjacentHTML', message: 'Trace contents are untrusted: use textContent.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Trace contents are untrusted.' },
        // No barrels (docs/architecture.md): import a thing from the module that holds it.
        { selector: 'ExportAllDeclaration', message: 'No re-exports: import from the module that holds it.' },
        { selector: 'ExportNamedDeclaration[source]', message: 'No re-exports: import from the module that holds it.' },
      ],
    },
  },
  // Layers (docs/architecture.md): data flows one way, and product code never reaches into test or bench
  // helpers.
  ...[
    { files: ['src/model/**'], deny: ['parse', 'analysis', 'render', 'worker', 'ui', 'cli', 'synth'] },
    { files: ['src/parse/**'], deny: ['analysis', 'render', 'worker', 'ui', 'cli', 'synth'] },
    { files: ['src/analysis/**'], deny: ['parse', 'render', 'worker', 'ui', 'cli', 'synth'] },
    { files: ['src/render/**'], deny: ['parse', 'worker', 'ui', 'cli', 'synth'] },
    { files: ['src/worker/**'], deny: ['render', 'ui', 'cli', 'synth'] },
    { files: ['src/ui/**'], deny: ['parse', 'cli', 'synth'] },
    { files: ['src/synth/**'], deny: ['render', 'worker', 'ui', 'cli'] },
    { files: ['src/cli/**'], deny: ['render', 'worker', 'ui'] },
  ].map(({ files, deny }) => ({
    files,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...deny.map((d) => ({ group: [`**/${d}/*`], message: `${files[0]} does not import src/${d}.` })),
            { group: ['**/testing/*', '**/bench/*'], message: 'Product code does not import test or bench helpers.' },
          ],
        },
      ],
    },
  })),
);
