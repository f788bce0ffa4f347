package dev.tenantdeletion.platform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The benchmark's findings: the table (one row per measure) and the notes under it, written to report.md and printed. */
final class BenchReport {

    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** A measure against its raw baseline, with the ratio and whether it meets {@code target} (NaN: no target here). */
    void row(String measure, int n, double ours, double raw, double target, String targetText) {
        double ratio = ours / raw;
        String met = Double.isNaN(target) ? "–" : yes(ratio <= target);
        add(measure, String.format(Locale.ROOT, "%,d", n), fmt(ours), fmt(raw), String.format(Locale.ROOT, "%.2f", ratio), targetText,
                met);
    }

    /** A row as given: measure, N, ours, raw, ours/raw, target, met. */
    void add(String... row) {
        rows.add(row);
    }

    void note(String note) {
        notes.add(note);
    }

    void write(Path dir) throws IOException {
        StringBuilder table = new StringBuilder();
        table.append("| measure | N | ours (ms) | raw (ms) | ours/raw | target | met |\n");
        table.append("|---|---|---|---|---|---|---|\n");
        for (String[] row : rows) {
            table.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        StringBuilder report = new StringBuilder("# Platform benchmark, ").append(Instant.now()).append("\n\n").append(table)
                .append("\nNotes:\n");
        notes.forEach(note -> report.append("- ").append(note).append('\n'));
        Files.writeString(dir.resolve("report.md"), report);
        System.out.println("\n" + report);
    }

    static String fmt(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.2f", ms);
    }

    static String yes(boolean met) {
        return met ? "yes" : "**no**";
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
