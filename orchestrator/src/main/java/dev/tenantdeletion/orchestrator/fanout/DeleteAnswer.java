package dev.tenantdeletion.orchestrator.fanout;

import java.util.Map;

/**
 * A service's 200 to one DELETE call.
 *
 * @param deletedCounts per table; with an Idempotency-Key the totals of every call under that key so far
 *                      (a service of the first edition answers this call's rows only)
 * @param complete      false: rows remain and the caller calls again (a budgeted call ran out of time);
 *                      a service that does not send the field has done everything in one call
 * @param receipt       the receipt the counts are the totals of ({@code summary.receipt.first_call_at}): a new one
 *                      after the service pruned the old starts again from zero; null when the service names none
 */
public record DeleteAnswer(Map<String, Long> deletedCounts, boolean complete, String receipt) {
}
