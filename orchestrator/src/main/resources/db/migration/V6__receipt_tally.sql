-- Which of the service's Idempotency-Key receipts a service run's counts come from, and what earlier receipts of
-- the same key counted. A service prunes a receipt after deletion.receipts.retention; a call under the same key
-- then opens a new receipt whose totals start from zero, so the orchestrator adds them to what the old one
-- counted (carried_counts) instead of keeping the larger figure (issue 22: a retry after pruning under-counted).
-- (V6: V5 is the re-verification sweep's, built alongside.)
alter table deletion_job_services
    add column receipt text,
    add column carried_counts jsonb not null default '{}';
