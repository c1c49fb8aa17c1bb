package io.grove.runtime.replication;

import io.grove.runtime.config.ConfigException;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The replication setting of one folder ({@code replication.folders}): whole copies with its own factor, or
 * Reed-Solomon shards, and whether the owner keeps a local copy once the placement is complete elsewhere.
 *
 * @param folder  the folder, without leading or trailing slashes (its files and sub-folders follow the setting)
 * @param factor  copies wanted of each chunk and manifest; empty: the fleet's factor
 * @param erasure {@code k} data + {@code m} parity shards per chunk instead of whole copies; empty: whole copies
 * @param offload whether the owner deletes its local chunk once the full placement is confirmed elsewhere
 */
public record FolderPolicy(String folder, Optional<Integer> factor, Optional<Erasure> erasure, boolean offload) {
    /** The fields an entry may have. */
    static final Set<String> FIELDS = Set.of("path", "factor", "erasure", "offload");

    public FolderPolicy {
        if (folder == null || factor == null || erasure == null) {
            throw new IllegalArgumentException("a folder policy needs a folder, a factor and an erasure option");
        }
        folder = normalise(folder);
        factor.ifPresent(f -> {
            if (f < 1 || f > 16) {
                throw new IllegalArgumentException("factor must be 1..16, not " + f);
            }
        });
        if (factor.isPresent() && erasure.isPresent()) {
            throw new IllegalArgumentException("folder '" + folder + "': factor and erasure exclude each other");
        }
    }

    /**
     * A Reed-Solomon layout.
     *
     * @param k data shards, at least 1
     * @param m parity shards, at least 1
     */
    public record Erasure(int k, int m) {
        /** The most shards of one chunk (each on its own cell). */
        public static final int MAX_SHARDS = 32;

        public Erasure {
            if (k < 1 || m < 1 || k + m > MAX_SHARDS) {
                throw new IllegalArgumentException("erasure needs k >= 1, m >= 1 and k + m <= " + MAX_SHARDS
                        + ", not " + k + "+" + m);
            }
        }

        /** Parses {@code k+m}, e.g. {@code 4+2}. */
        public static Erasure parse(String text) {
            String[] parts = text.trim().split("\\+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("erasure is k+m (e.g. 4+2), not '" + text + "'");
            }
            try {
                return new Erasure(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("erasure is k+m (e.g. 4+2), not '" + text + "'");
            }
        }

        @Override
        public String toString() {
            return k + "+" + m;
        }
    }

    /** Whether {@code path} (a file path) lies in this folder. */
    public boolean covers(String path) {
        String p = normalise(path);
        return folder.isEmpty() || p.equals(folder) || p.startsWith(folder + "/");
    }

    /** One entry of {@code replication.folders}, as {@link io.grove.runtime.config.ConfigNode#records} read it. */
    static FolderPolicy of(Map<String, String> entry) {
        for (String name : entry.keySet()) {
            if (!FIELDS.contains(name)) {
                throw new ConfigException("configuration key 'replication.folders': unknown field '" + name
                        + "' (expected path, factor, erasure, offload)");
            }
        }
        String path = entry.get("path");
        if (path == null || path.isBlank()) {
            throw new ConfigException("configuration key 'replication.folders': every entry needs a path");
        }
        try {
            Optional<Integer> factor = Optional.ofNullable(entry.get("factor")).map(Integer::parseInt);
            Optional<Erasure> erasure = Optional.ofNullable(entry.get("erasure")).map(Erasure::parse);
            String offload = entry.getOrDefault("offload", "false").trim().toLowerCase(java.util.Locale.ROOT);
            if (!offload.equals("true") && !offload.equals("false")) {
                throw new IllegalArgumentException("offload is true or false, not '" + offload + "'");
            }
            return new FolderPolicy(path, factor, erasure, offload.equals("true"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("configuration key 'replication.folders' (" + path.trim() + "): "
                    + e.getMessage());
        }
    }

    /** A folder as compared: no leading or trailing slash; rejects empty segments, {@code .} and {@code ..}. */
    static String normalise(String path) {
        String p = path.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.length() > 1024 || p.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("not a valid folder: '" + path + "'");
        }
        if (!p.isEmpty()) {
            for (String segment : p.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    throw new IllegalArgumentException("not a valid folder: '" + path + "'");
                }
            }
        }
        return p;
    }
}
