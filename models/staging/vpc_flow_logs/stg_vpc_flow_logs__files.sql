{#- depends_on: {{ ref('base_vpc_flow_logs__lines') }} -#}
{#- depends_on: {{ source('vpc_flow_logs', 'raw_flow_log_files') }} -#}
with files as (
    {{ vpc_flow_logs.flow_log_files() }}
)

select * from files
