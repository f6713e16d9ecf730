-- The `protocol_name` macro inlines IANA's keywords so staging needs no join; this test
-- keeps it in step with the `iana_protocols` seed. Fails with each protocol number
-- whose keyword differs (either side NULL counts as different from a keyword).
select
    protocol_number,
    keyword as seed_keyword,
    {{ vpc_flow_logs.protocol_name('protocol_number') }} as macro_keyword
from {{ ref('iana_protocols') }}
where
    coalesce(keyword, '') <> coalesce({{ vpc_flow_logs.protocol_name('protocol_number') }}, '')
