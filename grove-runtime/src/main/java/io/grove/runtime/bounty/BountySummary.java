package io.grove.runtime.bounty;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The body of {@code GET /api/v1/bounty}: this cell's balance, per peer what it earned from and spent on that peer,
 * and the newest receipts in both directions. All amounts in {@link Credits#UNIT micro-credits}.
 *
 * @param unit    {@value Credits#UNIT}: 10^-6 of a credit, one credit being 1 GiB stored for one day
 * @param balance Σ earned − Σ spent over every peer
 * @param peers   per peer, largest balance first
 * @param recent  newest first
 */
public record BountySummary(String unit, long balance, List<PeerBalance> peers, List<RecentReceipt> recent) {
    public BountySummary {
        peers = List.copyOf(peers);
        recent = List.copyOf(recent);
    }

    /**
     * One peer's account.
     *
     * @param cell    the peer's cell id
     * @param earned  what the peer's receipts paid this cell for holding its data
     * @param spent   what this cell's receipts paid the peer for holding this cell's data
     * @param balance earned − spent
     */
    public record PeerBalance(String cell, long earned, long spent, long balance) {
    }

    /**
     * A receipt as the summary lists it.
     *
     * @param direction {@code earned} (received from its payer) or {@code spent} (issued by this cell)
     * @param delivered for a spent receipt: whether its payee has stored it; always true for earned ones
     * @param storedAt  epoch milliseconds when this cell stored it
     * @param signed    the signed envelope, {@code {"receipt": {…}, "signature": …}}
     */
    public record RecentReceipt(String direction, boolean delivered, long storedAt, ObjectNode signed) {
    }
}
