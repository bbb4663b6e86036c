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
      ],
    },
  },
);
