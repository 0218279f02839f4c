import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * Bounded in-memory SSE event store of one session, so a client that lost a stream can resume it
 * with `Last-Event-ID`. Oldest events are dropped beyond `max` (the client then misses them, as
 * with any bounded replay buffer).
 */
export class BoundedEventStore implements EventStore {
  readonly #events = new Map<string, { streamId: string; message: JSONRPCMessage }>();
  readonly #max: number;
  #seq = 0;

  constructor(max = 1000) {
    this.#max = max;
  }

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${streamId}_${++this.#seq}`;
    this.#events.set(id, { streamId, message });
    if (this.#events.size > this.#max) this.#events.delete(this.#events.keys().next().value!);
    return id;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.#events.get(eventId)?.streamId;
  }

  async replayEventsAfter(lastEventId: string, { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> }): Promise<string> {
    const start = this.#events.get(lastEventId);
    if (!start) return '';
    let seen = false;
    for (const [id, e] of this.#events) {
      if (seen && e.streamId === start.streamId) await send(id, e.message);
      if (id === lastEventId) seen = true;
    }
    return start.streamId;
  }
}
