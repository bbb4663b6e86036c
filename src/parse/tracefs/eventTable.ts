// The event formats of one recording, by id, bound to its byte order: how a
// decoder finds the format of a raw record from its common_type (trace.dat) or
// its perf attr's config (perf.data).

import { EventReader } from './eventReader';
import type { EventFormat } from './format';

export class EventTable {
  private readonly byIdMap = new Map<number, EventReader>();
  private readonly byNameMap = new Map<string, EventReader>();

  constructor(formats: readonly EventFormat[], littleEndian: boolean, longSize = 8) {
    for (const f of formats) {
      const r = new EventReader(f, littleEndian, longSize);
      if (f.id >= 0) this.byIdMap.set(f.id, r);
      this.byNameMap.set(`${f.system}:${f.name}`, r);
    }
  }

  byId(id: number): EventReader | undefined {
    return this.byIdMap.get(id);
  }

  byName(system: string, name: string): EventReader | undefined {
    return this.byNameMap.get(`${system}:${name}`);
  }

  get size(): number {
    return this.byNameMap.size;
  }

  readers(): IterableIterator<EventReader> {
    return this.byNameMap.values();
  }
}
