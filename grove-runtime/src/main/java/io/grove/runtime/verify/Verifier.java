package io.grove.runtime.verify;

import io.grove.api.ChunkId;
import io.grove.runtime.crypto.CorruptChunkException;
import io.grove.runtime.files.CorruptManifestException;
import io.grove.runtime.files.FileIndex;
import io.grove.runtime.files.FileService;
import io.grove.runtime.files.MissingChunkException;
import io.grove.runtime.files.VersionInfo;
import io.grove.runtime.manifest.ChunkEntry;
import io.grove.runtime.manifest.Manifest;
import io.grove.runtime.manifest.SealedManifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Checks that everything the index promises can be read back, like {@code restic check --read-data}: every
 * version's sealed manifest hashes to the version id, opens and carries a valid signature, and every chunk a version
 * references is in the store, hashes to its id and decrypts with its key (a chunk this cell offloaded to the fleet
 * is counted as offloaded, not missing; it is not fetched). A packed chunk is checked as its slice of
 * the pack (hash against its blob id, then the tag); a damaged pack is reported once, under the pack's id, with every
 * version referencing the pack. Nothing is repaired; the report says, for each damaged chunk or manifest, which paths
 * and versions it affects.
 *
 * <p>Versions are read a page at a time and each distinct chunk once: the set of checked ids (one entry per chunk
 * referenced) is the only state that grows. Chunks are checked on a few threads with a bounded window of checks in
 * flight, so memory stays within a couple of chunks per thread. Versions stored while a run is under way may or may
 * not be checked by it.
 */
public final class Verifier {
    /** Problems of each kind listed in a report; see {@link VerifyReport#unlisted()}. */
    public static final int MAX_LISTED = 1000;
    static final int VERSION_PAGE = 200;

    private final FileService files;
    private final FileIndex index;
    private final int threads;
    /** Runs one at a time: two would read every chunk twice and prove nothing more. */
    private final ReentrantLock running = new ReentrantLock();

    /**
     * @param files   opens manifests and reads chunks, with the same checks a download makes
     * @param index   the versions to check
     * @param threads chunk checks run at once
     */
    public Verifier(FileService files, FileIndex index, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("verification needs at least one thread");
        }
        this.files = files;
        this.index = index;
        this.threads = threads;
    }

    /** Verifies every version and chunk; waits for a run already under way to end first. */
    public VerifyReport run() {
        running.lock();
        try {
            return new Run().execute();
        } finally {
            running.unlock();
        }
    }

    /** The state of one run, confined to the calling thread except for the chunk checks themselves. */
    private final class Run {
        private final long started = System.nanoTime();
        // A whole chunk by id; a slice by pack and offset, since each slice of a pack is checked on its own.
        private final Set<Object> checked = new HashSet<>();
        private final Set<ChunkId> reported = new HashSet<>();
        private final List<ChunkCheck> missing = new ArrayList<>();
        private final List<ChunkCheck> corrupt = new ArrayList<>();
        private final List<VerifyReport.BadManifest> badManifests = new ArrayList<>();
        private long versions;
        private long bytesRead;
        private long unlisted;
        private long offloaded;

        VerifyReport execute() {
            ExecutorService pool = Executors.newFixedThreadPool(threads,
                    Thread.ofPlatform().daemon().name("grove-verify-", 0).factory());
            Deque<Future<ChunkCheck>> window = new ArrayDeque<>();
            try {
                // Ends: the cursor strictly increases through the version ids, which are finite.
                String after = "";
                while (true) {
                    List<String> ids = index.versionIds(after, VERSION_PAGE);
                    for (String id : ids) {
                        for (ChunkEntry chunk : openManifest(id).map(Manifest::chunks).orElse(List.of())) {
                            if (!checked.add(chunk.slice().<Object>map(s -> new SliceAt(chunk.id(), s.offset())).orElse(chunk.id()))) {
                                continue;
                            }
                            if (window.size() >= 2 * threads) {
                                record(await(window.removeFirst()));
                            }
                            window.addLast(pool.submit(() -> check(chunk)));
                        }
                    }
                    if (ids.size() < VERSION_PAGE) {
                        break;
                    }
                    after = ids.getLast();
                }
                while (!window.isEmpty()) {
                    record(await(window.removeFirst()));
                }
            } finally {
                window.forEach(f -> f.cancel(true));
                pool.shutdownNow();
            }
            return new VerifyReport(missing.isEmpty() && corrupt.isEmpty() && badManifests.isEmpty() && unlisted == 0,
                    versions, checked.size(), bytesRead,
                    missing.stream().map(c -> {
                        List<VersionInfo> affected = index.versionsUsing(c.id());
                        return new VerifyReport.MissingChunk(c.id().hex(), paths(affected), ids(affected));
                    }).toList(),
                    corrupt.stream().map(c -> {
                        List<VersionInfo> affected = index.versionsUsing(c.id());
                        return new VerifyReport.CorruptChunk(c.id().hex(), c.reason(), paths(affected), ids(affected));
                    }).toList(),
                    badManifests, unlisted, Duration.ofNanos(System.nanoTime() - started), offloaded);
        }

        /** The manifest of a version if it can be trusted; a bad one is reported and its chunks are skipped. */
        private Optional<Manifest> openManifest(String id) {
            Optional<VersionInfo> version = index.version(id);
            if (version.isEmpty()) {
                return Optional.empty(); // versions are never removed; nothing to check if one were
            }
            versions++;
            VersionInfo v = version.get();
            Optional<SealedManifest> sealed = index.manifest(id);
            if (sealed.isEmpty()) {
                badManifest(v, "the index holds no sealed manifest for this version");
                return Optional.empty();
            }
            if (!sealed.get().id().hex().equals(id)) {
                // A valid manifest of another version put in its place would still open: the id is the check.
                badManifest(v, "the sealed manifest does not hash to the version id: it was altered or replaced");
                return Optional.empty();
            }
            Manifest manifest;
            try {
                manifest = files.openManifest(v);
            } catch (CorruptManifestException e) {
                badManifest(v, e.reason());
                return Optional.empty();
            }
            if (!manifest.path().equals(v.path()) || manifest.size() != v.size()
                    || manifest.chunks().size() != v.chunkCount() || manifest.tombstone() != v.tombstone()) {
                // The signed manifest is authentic, so its chunks are still worth checking.
                badManifest(v, "the signed manifest and the index disagree (path " + manifest.path() + ", "
                        + manifest.size() + " bytes, " + manifest.chunks().size() + " chunks); the index is damaged");
            }
            return Optional.of(manifest);
        }

        private ChunkCheck check(ChunkEntry chunk) {
            try {
                files.readChunk(chunk);
                return new ChunkCheck(chunk.id(), Outcome.OK, "", chunk.storedLength());
            } catch (MissingChunkException e) {
                // Offloaded chunks live on other cells by design (docs/replication.md): not missing.
                return new ChunkCheck(chunk.id(), index.isOffloaded(chunk.id()) ? Outcome.OFFLOADED : Outcome.MISSING,
                        "", 0);
            } catch (CorruptChunkException e) {
                return new ChunkCheck(chunk.id(), Outcome.CORRUPT, e.reason(), chunk.storedLength());
            } catch (IOException e) {
                return new ChunkCheck(chunk.id(), Outcome.CORRUPT, "the store cannot read it: " + e.getMessage(), 0);
            }
        }

        private void record(ChunkCheck check) {
            bytesRead += check.bytesRead();
            if (check.outcome() == Outcome.OFFLOADED && reported.add(check.id())) {
                offloaded++;
            }
            List<ChunkCheck> list = switch (check.outcome()) {
                case OK, OFFLOADED -> null;
                case MISSING -> missing;
                case CORRUPT -> corrupt;
            };
            // A pack with several bad slices is one damaged object: reported once.
            if (list != null && reported.add(check.id())) {
                if (list.size() < MAX_LISTED) {
                    list.add(check);
                } else {
                    unlisted++;
                }
            }
        }

        private void badManifest(VersionInfo version, String reason) {
            if (badManifests.size() < MAX_LISTED) {
                badManifests.add(new VerifyReport.BadManifest(version.id(), version.path(), reason));
            } else {
                unlisted++;
            }
        }

        private ChunkCheck await(Future<ChunkCheck> check) {
            try {
                return check.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("verification was interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UncheckedIOException io) {
                    throw io;
                }
                throw new IllegalStateException("checking a chunk failed: " + e.getCause(), e.getCause());
            }
        }

        private static List<String> paths(List<VersionInfo> versions) {
            return versions.stream().map(VersionInfo::path).distinct().sorted().toList();
        }

        private static List<String> ids(List<VersionInfo> versions) {
            return versions.stream().map(VersionInfo::id).toList();
        }
    }

    private enum Outcome { OK, MISSING, CORRUPT, OFFLOADED }

    /** Where a packed chunk lies: what tells two slices of one pack apart. */
    private record SliceAt(ChunkId pack, int offset) {
    }

    /** The result of checking one chunk. */
    private record ChunkCheck(ChunkId id, Outcome outcome, String reason, long bytesRead) {
    }
}
