package io.grove.runtime.events;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened in the cell, for live views (the dashboard's WebSocket {@code /api/v1/events}; format in
 * docs/api.md). Never carries secrets or file contents: names, ids and counts only.
 *
 * @param seq  this cell's event number, increasing (assigned by the bus)
 * @param type dotted, lower case: {@code file.version}, {@code peer.up}, {@code peer.down}, {@code sync.round},
 *             {@code fleet.roster}, {@code chat.message} …
 * @param at   when
 * @param data JSON-friendly values (strings, numbers, booleans, lists, maps)
 */
public record Event(long seq, String type, Instant at, Map<String, Object> data) {
    public Event {
        if (type == null || !type.matches("[a-z][a-z0-9]*(\\.[a-z][a-z0-9-]*){0,3}") || at == null || data == null) {
            throw new IllegalArgumentException("an event has a dotted lower-case type, a time and data");
        }
        data = Map.copyOf(data);
    }
}
