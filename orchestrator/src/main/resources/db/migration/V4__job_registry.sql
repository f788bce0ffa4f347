-- A job's scope is the registry when it runs: every claim adds the services registered since as pending
-- service runs, and the claim that finishes the job records here the registry it ran against (the names,
-- sorted), which the certificate carries as its "registry" claim. Kept on the job rather than derived from
-- its service runs: those also hold services unregistered since (failed "unregistered", or completed by an
-- earlier claim), so they cannot say which services were registered when the job was verified.
-- Null: not finished since this column exists.
alter table deletion_jobs add column registry text[];

comment on column deletion_jobs.registry is
    'names of the services registered when the job was last finished, sorted; a completed job verified every one';
