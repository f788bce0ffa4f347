-- Third edition, export before deletion: the sha256 of the manifest.json of the export handed over before this job
-- (optional), shown on the job and signed into its certificate.
alter table deletion_jobs add column export_sha256 text
    constraint deletion_jobs_export_sha256_hex check (export_sha256 ~ '^[0-9a-f]{64}$');
