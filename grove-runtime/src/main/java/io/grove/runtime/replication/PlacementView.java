package io.grove.runtime.replication;

import io.grove.api.CellId;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replication health as the REST API, the CLI and the dashboard show it: per file, the copies of its least
 * replicated chunk (or manifest) that count — this cell's own plus members seen within the grace period.
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
     * @param path           the path
     * @param target         the factor
     * @param confirmed      copies of its least replicated item that count (this cell's included)
     * @param holders        the cells with a counting copy of every item of the file (this cell first)
     * @param atRisk         whether {@code confirmed < target}
     * @param atRiskChunks   how many of its items are below the factor
     */
    public record FilePlacement(String path, int target, int confirmed, List<String> holders, boolean atRisk,
                                int atRiskChunks) {
    }

    /** Placement of the current files after {@code after} (path order), at most {@code limit}. */
    public List<FilePlacement> files(String after, int limit) {
        Replicator.Counting counting = replicator.counting();
        List<FilePlacement> out = new ArrayList<>();
        Placement placement = replicator.placement();
        for (Placement.FileChunks file : placement.files(after, Math.min(limit, MAX_FILES))) {
            List<Item> items = new ArrayList<>();
            items.add(new Item(file.version(), Item.Kind.MANIFEST));
            file.chunks().forEach(c -> items.add(new Item(c, Item.Kind.CHUNK)));
            Map<String, Set<CellId>> holders = placement.holders(items);
            int min = Integer.MAX_VALUE;
            int atRisk = 0;
            Set<CellId> everywhere = null;
            for (Item item : items) {
                Set<CellId> counted = new HashSet<>(holders.get(item.id()));
                counted.retainAll(counting.counting());
                int copies = 1 + counted.size();
                min = Math.min(min, copies);
                if (copies < counting.factor()) {
                    atRisk++;
                }
                if (everywhere == null) {
                    everywhere = counted;
                } else {
                    everywhere.retainAll(counted);
                }
            }
            List<String> holderIds = new ArrayList<>();
            holderIds.add(self.value());
            new TreeSet<>(everywhere == null ? Set.<CellId>of() : everywhere).forEach(c -> holderIds.add(c.value()));
            out.add(new FilePlacement(file.path(), counting.factor(), min, holderIds, min < counting.factor(), atRisk));
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
        return out;
    }
}
