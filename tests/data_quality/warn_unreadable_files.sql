-- Lists, by name, every object that could not be read (empty, truncated, not gzip)
-- or is not a flow log object. Warning: the rest of the run goes on without them.
{{ config(severity='warn') }}

select
    source_file,
    status,
    reason
from {{ ref('fct_file_reconciliation') }}
where status <> 'ok'
