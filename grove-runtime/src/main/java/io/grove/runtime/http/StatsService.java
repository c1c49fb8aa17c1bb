package io.grove.runtime.http;

import io.grove.api.store.StoreStats;
import io.grove.runtime.files.FileIndex;
import io.grove.runtime.files.FileService;
import io.grove.api.store.ChunkStore;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;

/** {@code GET /api/v1/stats}: files, versions, chunks, logical and stored bytes, dedup ratio. */
final class StatsService implements HttpService {
    private final FileService files;
    private final ChunkStore store;

    /**
     * Storage counts.
     *
     * @param files          files whose current version is not deleted
     * @param versions       versions of all files
     * @param chunks         distinct chunks referenced
     * @param logicalBytes   sum of the sizes of all versions
     * @param storedBytes    bytes of the distinct chunks they reference
     * @param manifestBytes  bytes of sealed manifests
     * @param dedupRatio     logical / stored (1.0 when nothing is stored)
     * @param storeChunks    chunks the store holds (including ones awaiting garbage collection)
     * @param storeBytes     bytes the store holds
     * @param storeFreeBytes space the store can still use
     */
    record StatsView(long files, long versions, long chunks, long logicalBytes, long storedBytes, long manifestBytes,
                     double dedupRatio, long storeChunks, long storeBytes, long storeFreeBytes) {
    }

    StatsService(FileService files, ChunkStore store) {
        this.files = files;
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::stats);
    }

    private void stats(ServerRequest req, ServerResponse res) throws IOException {
        FileIndex.Stats s = files.stats();
        StoreStats st = store.stats();
        double ratio = s.storedBytes() == 0 ? 1.0 : Math.round(1000.0 * s.logicalBytes() / s.storedBytes()) / 1000.0;
        Responses.json(res, 200, new StatsView(s.files(), s.versions(), s.chunks(), s.logicalBytes(), s.storedBytes(),
                s.manifestBytes(), ratio, st.chunks(), st.bytes(), st.freeBytes()));
    }
}
