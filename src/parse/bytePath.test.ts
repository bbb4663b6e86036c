// The parsers' byte fast paths (LineParser.lineBytes) against every unit test
// of the parsers: this file runs those test files again with each parser's
// line() replaced by "lineBytes() first, line() when it declines", so every
// hand-made variant in them (quoted maps, --compact, -n, --state, plugin
// payloads, cut lines ...) also checks that the fast path takes a line exactly
// as the text path would, or leaves it alone.

import { afterAll, describe, expect, it, vi } from 'vitest';
import type { LineParser, LineParserFactory } from './parser';

// Hoisted with the mocks, which run before this file's imports.
const { taken, offered, viaBytes } = vi.hoisted(() => {
  const taken: Record<string, number> = {};
  const offered: Record<string, number> = {};
  const encoder = new TextEncoder();
  /** A factory whose parsers read every line through the byte fast path first. */
  function viaBytes(name: string, factory: LineParserFactory): LineParserFactory {
    taken[name] = 0;
    offered[name] = 0;
    return (builder) => {
      const inner = factory(builder);
      const wrapped: LineParser = {
        line(text, lineNo) {
          const buf = encoder.encode(text);
          offered[name]++;
          if (inner.lineBytes?.(buf, 0, buf.length, lineNo)) taken[name]++;
          else inner.line(text, lineNo);
        },
        finish: () => inner.finish(),
      };
      return wrapped;
    };
  }
  return { taken, offered, viaBytes };
});

vi.mock('./timehist', async (importOriginal) => {
  const m = await importOriginal<typeof import('./timehist')>();
  return { ...m, createTimehistParser: viaBytes('timehist', m.createTimehistParser) };
});
vi.mock('./perfSchedMap', async (importOriginal) => {
  const m = await importOriginal<typeof import('./perfSchedMap')>();
  return { ...m, createPerfSchedMapParser: viaBytes('map', m.createPerfSchedMapParser) };
});
vi.mock('./perfScript', async (importOriginal) => {
  const m = await importOriginal<typeof import('./perfScript')>();
  return { ...m, createPerfScriptParser: viaBytes('script', m.createPerfScriptParser) };
});
vi.mock('./ftrace', async (importOriginal) => {
  const m = await importOriginal<typeof import('./ftrace')>();
  return { ...m, createFtraceParser: viaBytes('ftrace', m.createFtraceParser) };
});

// The parsers' own test files, registered again under the mocks above.
import './timehist.test';
import './perfSchedMap.test';
import './perfScript.test';
import './ftrace.test';

describe('byte fast paths under the parser tests', () => {
  it('were offered lines', () => {
    for (const name of Object.keys(offered)) expect(offered[name], name).toBeGreaterThan(0);
  });
  afterAll(() => {
    // Most lines of the tests' inputs should be plain enough for the fast path.
    for (const name of Object.keys(offered)) expect(taken[name], name).toBeGreaterThan(0);
  });
});
