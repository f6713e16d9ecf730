-- A build that read no flow log line at all is an error, not an all-clear: a mistyped
-- flow_logs_root gives empty marts that look like "no findings". The message names the
-- root. Set var allow_empty_run: true to build empty tables on purpose.
{{ config(severity='error') }}

{%- if execute and flags.WHICH in ('build', 'test') and not var('allow_empty_run') -%}
    {%- set counted = run_query(
        'select count(*) from ' ~ ref('base_vpc_flow_logs__lines') ~ ' where not is_header').rows -%}
    {%- if counted | length > 0 and counted[0][0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            "No flow log line (other than headers) was read from " ~ vpc_flow_logs.flow_logs_root()
            ~ "/AWSLogs/: the models are empty because there is no data, not because "
            ~ "nothing was found. Check var flow_logs_root (the folder or s3:// prefix "
            ~ "that contains AWSLogs/), or set var allow_empty_run: true.") }}
    {%- endif -%}
{%- endif %}

select 1 as no_line_read
from {{ ref('base_vpc_flow_logs__lines') }}
where false
