-- When a job's current run began: its first claim, or the claim after a retry. started_at keeps the first run's
-- start for the job view; deletion_job_oldest_running_seconds measures from this one, so a retried old job does not
-- look stuck for days the moment it runs again (review 2026-12-04, finding 12).
alter table deletion_jobs add column run_started_at timestamptz;
update deletion_jobs set run_started_at = started_at where status = 'running';
