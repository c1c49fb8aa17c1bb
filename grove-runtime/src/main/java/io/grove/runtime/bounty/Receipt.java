package io.grove.runtime.bounty;

import io.grove.api.CellId;

/**
 * A bounty receipt: the payer acknowledges that the payee held its data for a period, as passed audits proved, and
 * owes it {@code amount}. Signed by the payer ({@link SignedReceipt}); numbered per payer and payee from 1.
 *
 * @param payer       the cell whose copies were held
 * @param payee       the cell that held them
 * @param seq         1, 2, … per (payer, payee)
 * @param periodStart epoch milliseconds: the start of the earliest span paid
 * @param periodEnd   epoch milliseconds: the end of the latest span paid
 * @param bytes       the sizes of the copies whose passed audits are paid, summed per audit
 * @param byteSeconds Σ bytes × seconds proved held
 * @param amount      micro-credits, exactly {@link Credits#micros(long) Credits.micros(byteSeconds)}
 */
public record Receipt(CellId payer, CellId payee, long seq, long periodStart, long periodEnd, long bytes,
                      long byteSeconds, long amount) {
    /** The largest integer JSON numbers carry exactly (RFC 8785 numbers are IEEE doubles). */
    public static final long MAX_EXACT = (1L << 53) - 1;
    /** The most bytes one cell is believed to hold for another (1 PiB): bounds byteSeconds against the period. */
    public static final long MAX_HELD_BYTES = 1L << 50;

    public Receipt {
        if (payer == null || payee == null || payer.equals(payee)) {
            throw new IllegalArgumentException("a receipt names a payer and another cell as payee");
        }
        if (seq < 1 || seq > MAX_EXACT || periodStart < 0 || periodEnd < periodStart || periodEnd > MAX_EXACT
                || bytes < 0 || bytes > MAX_EXACT || byteSeconds < 0 || amount < 0) {
            throw new IllegalArgumentException("receipt numbers out of range: seq ≥ 1, 0 ≤ periodStart ≤ periodEnd, "
                    + "bytes, byteSeconds, amount ≥ 0");
        }
        long seconds = (periodEnd - periodStart) / 1000 + 1;
        if (byteSeconds / seconds > MAX_HELD_BYTES) {
            throw new IllegalArgumentException("byteSeconds exceed " + MAX_HELD_BYTES + " bytes over the period");
        }
        if (amount != Credits.micros(byteSeconds)) {
            throw new IllegalArgumentException("amount must be " + Credits.micros(byteSeconds) + " micro-credits for "
                    + byteSeconds + " byte-seconds");
        }
    }
}
