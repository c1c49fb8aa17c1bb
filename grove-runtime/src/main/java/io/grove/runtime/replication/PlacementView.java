package io.grove.runtime.replication;

import io.grove.api.CellId;
import io.grove.runtime.audit.Reputation;
import io.grove.runtime.erasure.ShardSet;

import java.time.Instant;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replication health as the REST API, the CLI and the dashboard show it: per file, the copies of its least
 * replicated chunk (or manifest) that count — this cell's own (unless offloaded) plus members seen within the grace
 * period — and, in erasure-coded folders, the shards of its least placed chunk that count.
 */
public final class PlacementView {
    /** The most files one listing covers. */
    public static final int MAX_FILES = 1000;

    private final Replicator replicator;
    private final CellId self;

    public PlacementView(Replicator replicator, CellId self) {
        this.replicator = replicator;
        this.self = self;
    }

    /**
     * One file's placement.
     *
     * @param path             the path
     * @param target           whole copies wanted of its manifest and (outside erasure-coded folders) its chunks
     * @param confirmed        copies that count of its least replicated whole-copy item (this cell's included
     *                         unless offloaded)
     * @param holders          the cells with a counting copy of every whole-copy item of the file (this cell first,
     *                         unless some chunk of the file was offloaded)
     * @param atRisk           whether some item is below its target: {@code confirmed < target}, or an
     *                         erasure-coded chunk with fewer than {@code k + m} shards that count
     * @param atRiskChunks     how many of its items are below their target
     * @param erasure          {@code "k+m"} when its chunks are erasure-coded, else null
     * @param shardsTarget     {@code k + m}, 0 without erasure coding
     * @param shardsConfirmed  shards that count of its least placed erasure-coded chunk (0 without)
     * @param unreadableChunks erasure-coded chunks neither local nor with {@code k} counting shards: unreadable
     *                         until cells return
     * @param offloadedChunks  chunks whose local copy was deleted (offload); they are read from the fleet
     */
    public record FilePlacement(String path, int target, int confirmed, List<String> holders, boolean atRisk,
                                int atRiskChunks, String erasure, int shardsTarget, int shardsConfirmed,
                                int unreadableChunks, int offloadedChunks) {
    }

    /** Placement of the current files after {@code after} (path order), at most {@code limit}. */
    public List<FilePlacement> files(String after, int limit) {
        Replicator.Counting counting = replicator.counting();
        FolderPolicies folders = replicator.folders();
        List<FilePlacement> out = new ArrayList<>();
        Placement placement = replicator.placement();
        for (Placement.FileChunks file : placement.files(after, Math.min(limit, MAX_FILES))) {
            List<Item> items = new ArrayList<>();
            items.add(new Item(file.version(), Item.Kind.MANIFEST));
            file.chunks().forEach(c -> items.add(new Item(c, Item.Kind.CHUNK)));
            Map<String, ChunkPolicy> policies = folders.isEmpty() ? Map.of()
                    : folders.policies(items, placement.paths(items), counting.factor());
            Set<String> offloaded = placement.shards().offloadedAmong(file.chunks());
            List<String> coded = file.chunks().stream()
                    .filter(c -> policies.containsKey(c) && policies.get(c).erasure().isPresent()).toList();
            Set<String> codedIds = new HashSet<>(coded);
            Map<String, ShardSet> sets = coded.isEmpty() ? Map.of() : placement.shards().sets(coded);
            List<Item> whole = items.stream().filter(i -> !codedIds.contains(i.id())).toList();
            Map<String, Set<CellId>> holders = placement.holders(whole);
            int min = Integer.MAX_VALUE;
            int target = 0;
            int atRisk = 0;
            Set<CellId> everywhere = null;
            for (Item item : whole) {
                ChunkPolicy policy = policies.getOrDefault(item.id(), ChunkPolicy.copies(counting.factor()));
                Set<CellId> counted = new HashSet<>(holders.get(item.id()));
                counted.retainAll(counting.counting());
                int copies = (offloaded.contains(item.id()) ? 0 : 1) + counted.size();
                min = Math.min(min, copies);
                target = Math.max(target, policy.factor());
                if (copies < policy.factor()) {
                    atRisk++;
                }
                if (everywhere == null) {
                    everywhere = counted;
                } else {
                    everywhere.retainAll(counted);
                }
            }
            String erasure = null;
            int shardsTarget = 0;
            int shardsMin = Integer.MAX_VALUE;
            int unreadable = 0;
            for (String chunk : coded) {
                FolderPolicy.Erasure e = policies.get(chunk).erasure().orElseThrow();
                erasure = e.toString();
                shardsTarget = e.k() + e.m();
                int placed = 0;
                ShardSet set = sets.get(chunk);
                if (set != null && set.k() == e.k() && set.m() == e.m()) {
                    Map<String, Set<CellId>> shardHolders = placement.holders(set.shards().stream().distinct()
                            .map(id -> new Item(id.hex(), Item.Kind.SHARD)).toList());
                    for (var shard : set.shards()) {
                        Set<CellId> counted = new HashSet<>(shardHolders.getOrDefault(shard.hex(), Set.of()));
                        counted.retainAll(counting.counting());
                        if (!counted.isEmpty()) {
                            placed++;
                        }
                    }
                }
                shardsMin = Math.min(shardsMin, placed);
                if (placed < e.k() + e.m()) {
                    atRisk++;
                }
                if (placed < e.k() && offloaded.contains(chunk)) {
                    unreadable++;
                }
            }
            List<String> holderIds = new ArrayList<>();
            if (offloaded.isEmpty()) {
                holderIds.add(self.value());
            }
            new TreeSet<>(everywhere == null ? Set.<CellId>of() : everywhere).forEach(c -> holderIds.add(c.value()));
            int confirmed = min == Integer.MAX_VALUE ? 1 : min;
            out.add(new FilePlacement(file.path(), target, confirmed, holderIds, atRisk > 0, atRisk, erasure,
                    shardsTarget, shardsMin == Integer.MAX_VALUE ? 0 : shardsMin, unreadable, offloaded.size()));
        }
        return out;
    }

    /** The at-risk files among the first {@value #MAX_FILES} after {@code after}, and their at-risk item count. */
    public Map<String, Object> atRisk(String after) {
        List<FilePlacement> files = files(after, MAX_FILES).stream().filter(FilePlacement::atRisk).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("files", files);
        out.put("atRiskChunks", files.stream().mapToLong(FilePlacement::atRiskChunks).sum());
        return out;
    }

    /** Sync status and recent activity. */
    public Map<String, Object> status() {
        Replicator.Status s = replicator.status();
        Replicator.Counting counting = replicator.counting();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("factor", counting.factor());
        out.put("countingPeers", counting.counting().stream().map(CellId::value).sorted().toList());
        out.put("lastRound", s.lastRound().map(Object::toString).orElse(null));
        out.put("roundMillis", s.duration().toMillis());
        out.put("items", s.items());
        out.put("pushed", s.pushed());
        out.put("released", s.released());
        out.put("confirmed", s.confirmed());
        out.put("lost", s.lost());
        out.put("audited", s.audited());
        out.put("atRiskItems", s.atRisk());
        out.put("error", s.error());
        out.put("heldForOthers", replicator.placement().heldCount());
        List<Map<String, Object>> events = new ArrayList<>();
        for (Placement.Event e : replicator.placement().events(20)) {
            events.add(Map.of("at", e.at().toString(), "kind", e.kind(), "detail", e.detail()));
        }
        out.put("recent", events);
        // Storage audits per peer (worst first): what placement trusts, and why.
        List<Map<String, Object>> audits = new ArrayList<>();
        for (Reputation r : replicator.audits().reputations(Instant.now())) {
            Map<String, Object> peer = new LinkedHashMap<>();
            peer.put("cell", r.peer().value());
            peer.put("score", Math.round(r.score() * 1000) / 1000.0);
            peer.put("passed", r.passed());
            peer.put("failed", r.failed());
            peer.put("missing", r.missing());
            peer.put("trusted", r.trusted());
            audits.add(peer);
        }
        out.put("audits", audits);
        List<Map<String, Object>> held = new ArrayList<>();
        replicator.placement().bytesHeld().forEach((cell, bytes) -> held.add(Map.of("cell", cell.value(), "bytes", bytes)));
        out.put("heldByPeers", held);
        return out;
    }
}
