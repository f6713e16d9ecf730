-- Lists, once per object, the header fields this project does not know yet (AWS adds
-- fields). Warning: the object is parsed by its known fields and the unknown ones are
-- kept as text in stg_vpc_flow_logs.unknown_fields.
{{ config(severity='warn') }}

select
    source_file,
    header_unknown_fields
from {{ ref('base_vpc_flow_logs__lines') }}
where
    is_header
    and header_unknown_fields <> ''
group by source_file, header_unknown_fields
