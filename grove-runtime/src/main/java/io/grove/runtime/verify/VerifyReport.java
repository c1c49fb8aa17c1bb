package io.grove.runtime.verify;

import java.time.Duration;
import java.util.List;

/**
 * What a {@link Verifier} run found. Problems are listed up to {@link Verifier#MAX_LISTED} of each kind; beyond that
 * they are only counted in {@code unlisted}, so that a lost store does not turn into a report of every chunk.
 *
 * @param ok              whether nothing is damaged
 * @param versionsChecked versions whose manifests were opened
 * @param chunksChecked   distinct chunks checked
 * @param bytesRead       bytes of chunk data read from the store
 * @param missing         chunks some version references that the store does not hold
 * @param corrupt         chunks that do not hash to their id, do not decrypt, or cannot be read
 * @param badManifests    versions whose sealed manifest is absent, altered or does not verify
 * @param unlisted        problems found beyond the listed ones
 * @param duration        how long the run took
 * @param offloaded       chunks not in the store because this cell offloaded them to the fleet (not a problem)
 */
public record VerifyReport(boolean ok, long versionsChecked, long chunksChecked, long bytesRead,
                           List<MissingChunk> missing, List<CorruptChunk> corrupt, List<BadManifest> badManifests,
                           long unlisted, Duration duration, long offloaded) {
    public VerifyReport {
        missing = List.copyOf(missing);
        corrupt = List.copyOf(corrupt);
        badManifests = List.copyOf(badManifests);
        if (ok != (missing.isEmpty() && corrupt.isEmpty() && badManifests.isEmpty() && unlisted == 0)) {
            throw new IllegalArgumentException("a report is ok exactly when it lists no problem");
        }
    }

    /**
     * A chunk the store does not hold.
     *
     * @param chunk    its id
     * @param paths    the paths whose versions need it, sorted
     * @param versions the versions that need it
     */
    public record MissingChunk(String chunk, List<String> paths, List<String> versions) {
        public MissingChunk {
            paths = List.copyOf(paths);
            versions = List.copyOf(versions);
        }
    }

    /**
     * A chunk the store holds but that cannot be used.
     *
     * @param chunk    its id
     * @param reason   what did not match
     * @param paths    the paths whose versions need it, sorted
     * @param versions the versions that need it
     */
    public record CorruptChunk(String chunk, String reason, List<String> paths, List<String> versions) {
        public CorruptChunk {
            paths = List.copyOf(paths);
            versions = List.copyOf(versions);
        }
    }

    /**
     * A version whose manifest cannot be trusted; its chunks could not be checked unless it opened.
     *
     * @param version the version id
     * @param path    the path the index records for it
     * @param reason  what is wrong
     */
    public record BadManifest(String version, String path, String reason) {
    }
}
