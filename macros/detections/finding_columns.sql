{#-
    The columns every detection's findings share, between `finding_key` and
    `evidence`, each cast to the type `fct_security_findings` unions: pass the
    expression of each column the detection knows; the rest default to the column
    of the same name (account_id, region, first_seen_at, last_seen_at, flows) or
    to a typed NULL. Portable SQL.
-#}
{% macro finding_columns(
    account_id='account_id', region='region', interface_id='null', srcaddr='null',
    dstaddr='null', dstport='null', protocol='null', first_seen_at='first_seen_at',
    last_seen_at='last_seen_at', flows='flows', bytes='null'
) -%}
    cast({{ account_id }} as varchar) as account_id,
    cast({{ region }} as varchar) as region,
    cast({{ interface_id }} as varchar) as interface_id,
    cast({{ srcaddr }} as varchar) as srcaddr,
    cast({{ dstaddr }} as varchar) as dstaddr,
    cast({{ dstport }} as integer) as dstport,
    cast({{ protocol }} as integer) as protocol,
    cast({{ first_seen_at }} as timestamp) as first_seen_at,
    cast({{ last_seen_at }} as timestamp) as last_seen_at,
    cast({{ flows }} as bigint) as flows,
    cast({{ bytes }} as decimal(38, 0)) as bytes
{%- endmacro %}
