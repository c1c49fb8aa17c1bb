package io.grove.runtime.replication;

import io.grove.runtime.config.ConfigException;
import io.grove.runtime.config.ConfigNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The per-folder replication settings ({@code replication.folders}). A file follows the entry of the longest folder
 * that contains it, else the fleet's factor. Immutable.
 */
public final class FolderPolicies {
    /** The most entries. */
    public static final int MAX_FOLDERS = 256;
    /** No per-folder settings. */
    public static final FolderPolicies NONE = new FolderPolicies(List.of());

    private final List<FolderPolicy> folders;

    public FolderPolicies(List<FolderPolicy> folders) {
        if (folders.size() > MAX_FOLDERS) {
            throw new IllegalArgumentException("at most " + MAX_FOLDERS + " folder settings");
        }
        Set<String> seen = new HashSet<>();
        for (FolderPolicy f : folders) {
            if (!seen.add(f.folder())) {
                throw new IllegalArgumentException("folder '" + f.folder() + "' is listed twice");
            }
        }
        // Longest first: the first that covers a path is the most specific.
        this.folders = folders.stream().sorted(Comparator.comparingInt((FolderPolicy f) -> f.folder().length())
                .reversed()).toList();
    }

    /** Reads {@code replication.folders} from the configuration root. */
    public static FolderPolicies from(ConfigNode root) {
        List<FolderPolicy> out = new ArrayList<>();
        for (Map<String, String> entry : root.records("replication.folders")) {
            out.add(FolderPolicy.of(entry));
        }
        try {
            return new FolderPolicies(out);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("configuration key 'replication.folders': " + e.getMessage());
        }
    }

    public boolean isEmpty() {
        return folders.isEmpty();
    }

    public List<FolderPolicy> folders() {
        return folders;
    }

    /** The entry of the longest folder containing {@code path}. */
    public Optional<FolderPolicy> of(String path) {
        for (FolderPolicy f : folders) {
            if (f.covers(path)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** How a chunk of the file at {@code path} is kept, {@code fleetFactor} when no folder says otherwise. */
    public ChunkPolicy chunkPolicy(String path, int fleetFactor) {
        return of(path).map(f -> new ChunkPolicy(f.factor().orElse(fleetFactor), f.erasure(), f.offload()))
                .orElse(ChunkPolicy.copies(fleetFactor));
    }

    /** How a chunk referenced by files at {@code paths} is kept: the strongest of their settings. */
    public ChunkPolicy chunkPolicy(Collection<String> paths, int fleetFactor) {
        List<ChunkPolicy> each = new ArrayList<>();
        for (String p : new HashSet<>(paths)) {
            each.add(chunkPolicy(p, fleetFactor));
        }
        return ChunkPolicy.strongest(each, ChunkPolicy.copies(fleetFactor));
    }

    /**
     * How the sealed manifest of a file at {@code path} is kept: always whole copies and never offloaded (the file
     * must stay listable); the folder's factor, or at least 2 in an erasure-coded folder.
     */
    public ChunkPolicy manifestPolicy(String path, int fleetFactor) {
        Optional<FolderPolicy> f = of(path);
        if (f.isEmpty()) {
            return ChunkPolicy.copies(fleetFactor);
        }
        if (f.get().erasure().isPresent()) {
            return ChunkPolicy.copies(Math.max(2, fleetFactor));
        }
        return ChunkPolicy.copies(f.get().factor().orElse(fleetFactor));
    }

    /** The policy of each item of {@code items}, given the paths of the files that use it. */
    public Map<String, ChunkPolicy> policies(List<Item> items, Map<String, Set<String>> paths, int fleetFactor) {
        Map<String, ChunkPolicy> out = new java.util.HashMap<>();
        for (Item item : items) {
            Set<String> used = paths.getOrDefault(item.id(), Set.of());
            if (item.kind() == Item.Kind.MANIFEST) {
                out.put(item.id(), used.isEmpty() ? ChunkPolicy.copies(fleetFactor)
                        : used.stream().map(p -> manifestPolicy(p, fleetFactor))
                        .max(Comparator.comparingInt(ChunkPolicy::factor)).orElseThrow());
            } else {
                out.put(item.id(), chunkPolicy(used, fleetFactor));
            }
        }
        return out;
    }
}
