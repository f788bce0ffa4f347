package dev.tenantdeletion.deletion.coverage;

import java.util.List;

/** The result of checking a deletion plan against the live schema; empty problems means covered. */
public record CoverageReport(List<String> problems) {

    public boolean covered() {
        return problems.isEmpty();
    }
}
