-- Second edition of the contract: DELETEs are sent with an Idempotency-Key (<job_id>:<service>) and a
-- max_duration_ms budget, and repeated while a service answers complete=false.

-- every HTTP DELETE call made to the service for the job, continuation calls included, over every run
-- ("attempts" counts only the first call of each run and the retries after a failure)
alter table deletion_job_services add column calls integer not null default 0;

-- the rows the service's preview showed when the job first started running, before its first DELETE;
-- null while unknown (not taken yet, or that preview failed); never overwritten by a resume or retry
alter table deletion_job_services add column items_expected bigint;

comment on column deletion_job_services.deleted_counts is
    'rows deleted per table: the totals the service answers under the job''s Idempotency-Key (per table the '
    'largest figure seen, so it never shrinks), not a sum over calls';
