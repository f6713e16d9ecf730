-- Fails the build when, for any file, the lines (and line bytes) read from the
-- decompressed object differ from header lines + staged records + malformed lines.
select
    source_file,
    status,
    lines_read,
    lines_accounted,
    bytes_read,
    bytes_accounted
from {{ ref('fct_file_reconciliation') }}
where not is_reconciled
