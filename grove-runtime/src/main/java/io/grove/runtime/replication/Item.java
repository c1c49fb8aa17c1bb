package io.grove.runtime.replication;

import io.grove.api.ChunkId;

/**
 * Something this cell replicates: a chunk (by its id) or a sealed manifest (by its version id). Both are named by
 * the SHA-256 of their bytes, so a holder can verify what it receives and the owner what it reads back.
 *
 * @param id   64 lower-case hex characters
 * @param kind chunk, manifest or shard
 */
public record Item(String id, Kind kind) {
    public Item {
        if (id == null || !ChunkId.isValid(id) || kind == null) {
            throw new IllegalArgumentException("an item is a 64-hex id and a kind");
        }
    }

    /** The kinds of replicated items. */
    public enum Kind {
        CHUNK("c"), MANIFEST("m"),
        /** A Reed-Solomon shard of an erasure-coded chunk, stored and pushed like a chunk (named by its SHA-256). */
        SHARD("s");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        /** The one-letter form stored in {@code holdings.kind}. */
        public String code() {
            return code;
        }

        static Kind of(String code) {
            return switch (code) {
                case "c" -> CHUNK;
                case "m" -> MANIFEST;
                case "s" -> SHARD;
                default -> throw new IllegalArgumentException("unknown item kind " + code);
            };
        }
    }
}
