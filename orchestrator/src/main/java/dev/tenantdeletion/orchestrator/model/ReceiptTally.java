package dev.tenantdeletion.orchestrator.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A service run's deleted counts, as the answers under the job's Idempotency-Key report them. Each answer carries
 * the totals of the service's receipt for the key — every call since the receipt was opened — and names the receipt
 * ({@code summary.receipt.first_call_at}). Within one receipt an answer replaces what was known (per table the larger
 * figure wins: a first-edition service answers only its last call, and a figure once reported never shrinks). When
 * the receipt changes — the service pruned the old one after its retention and opened a new one — what the old
 * receipt counted is carried and the new receipt's totals are added to it.
 *
 * @param receipt the receipt the current counts come from; null while no answer named one
 * @param carried what earlier receipts of the key counted
 * @param current the current receipt's totals
 */
public record ReceiptTally(String receipt, Map<String, Long> carried, Map<String, Long> current) {

    public ReceiptTally {
        // in the order the service answers its tables
        carried = Collections.unmodifiableMap(new LinkedHashMap<>(carried));
        current = Collections.unmodifiableMap(new LinkedHashMap<>(current));
    }

    /** As stored: the run's deleted counts are carried + current. */
    public static ReceiptTally stored(String receipt, Map<String, Long> carried, Map<String, Long> deleted) {
        Map<String, Long> current = new LinkedHashMap<>();
        deleted.forEach((table, rows) -> current.put(table, Math.max(0, rows - carried.getOrDefault(table, 0L))));
        return new ReceiptTally(receipt, carried, current);
    }

    /** With one more answer: {@code answered} names its receipt (null when the service does not say). */
    public ReceiptTally report(String answered, Map<String, Long> totals) {
        if (answered == null || receipt == null || answered.equals(receipt)) {
            Map<String, Long> merged = new LinkedHashMap<>(current);
            totals.forEach((table, rows) -> merged.merge(table, rows, Math::max));
            return new ReceiptTally(answered == null ? receipt : answered, carried, merged);
        }
        return new ReceiptTally(answered, sum(carried, current), totals);
    }

    /** What the service deleted for the job, every receipt of its key included. */
    public Map<String, Long> deleted() {
        return sum(carried, current);
    }

    private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> sum = new LinkedHashMap<>(a);
        b.forEach((table, rows) -> sum.merge(table, rows, Long::sum));
        return sum;
    }
}
