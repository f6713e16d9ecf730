{#-
    What is wrong with a CIDR network written as text, or '' when it is a valid network
    both engines read alike: an IPv4 (dotted quad, no leading zeros) or IPv6 (hex groups)
    address, a prefix length, and no host bits set beyond the prefix (Trino's `contains`
    rejects them; a silent mask would trust more or less than written). Pure Jinja, so
    the answer is the same on every engine.
-#}
{% macro cidr_problem(value) %}
    {%- set text = (value | string) | trim -%}
    {%- if '/' not in text -%}
        {{ return("missing prefix length: write it as address/length, e.g. 10.0.0.0/8") }}
    {%- endif -%}
    {%- set address, prefix = text.split('/', 1) -%}
    {%- set is_ipv6 = ':' in address -%}
    {%- set bits = 128 if is_ipv6 else 32 -%}
    {%- if not prefix.isdigit() or (prefix | length) > 3 or (prefix | int) > bits -%}
        {{ return("invalid prefix length '" ~ prefix ~ "' (0 to " ~ bits ~ ")") }}
    {%- endif -%}
    {%- set value_box = {'value': 0, 'error': ''} -%}
    {%- if is_ipv6 -%}
        {%- set halves = address.split('::') -%}
        {%- if halves | length > 2 -%}
            {{ return("invalid IPv6 address '" ~ address ~ "' ('::' more than once)") }}
        {%- endif -%}
        {%- set groups = [] -%}
        {%- for half in halves -%}
            {%- set parts = half.split(':') if half != '' else [] -%}
            {%- for part in parts -%}
                {%- if part == '' or (part | length) > 4 or part.lower().strip('0123456789abcdef') != '' -%}
                    {%- do value_box.update({'error': "invalid IPv6 address '" ~ address ~ "' (write it as hex groups)"}) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do groups.append(parts) -%}
        {%- endfor -%}
        {%- if value_box['error'] -%}{{ return(value_box['error']) }}{%- endif -%}
        {%- set written = groups | map('length') | sum -%}
        {%- if (halves | length == 1 and written != 8) or (halves | length == 2 and written > 7) -%}
            {{ return("invalid IPv6 address '" ~ address ~ "' (not 8 groups)") }}
        {%- endif -%}
        {%- set all_groups = groups[0] + (['0'] * (8 - written) if halves | length == 2 else []) + (groups[1] if halves | length == 2 else []) -%}
        {%- for part in all_groups -%}
            {%- do value_box.update({'value': value_box['value'] * 65536 + (part | int(0, 16))}) -%}
        {%- endfor -%}
    {%- else -%}
        {%- set octets = address.split('.') -%}
        {%- if octets | length != 4 -%}
            {{ return("invalid IPv4 address '" ~ address ~ "' (not 4 numbers)") }}
        {%- endif -%}
        {%- for octet in octets -%}
            {%- if not octet.isdigit() or (octet | length) > 3 or (octet | int) > 255
                or ((octet | length) > 1 and octet.startswith('0')) -%}
                {%- do value_box.update({'error': "invalid IPv4 address '" ~ address ~ "'"}) -%}
            {%- endif -%}
            {%- do value_box.update({'value': value_box['value'] * 256 + (octet | int)}) -%}
        {%- endfor -%}
        {%- if value_box['error'] -%}{{ return(value_box['error']) }}{%- endif -%}
    {%- endif -%}
    {%- set host_size = 2 ** (bits - (prefix | int)) -%}
    {%- set host = value_box['value'] % host_size -%}
    {%- if host != 0 -%}
        {%- set network = value_box['value'] - host -%}
        {%- if is_ipv6 -%}
            {%- set hextets = [] -%}
            {%- for shift in range(7, -1, -1) -%}
                {%- do hextets.append('%x' | format((network // (65536 ** shift)) % 65536)) -%}
            {%- endfor -%}
            {%- set shown = hextets | join(':') -%}
        {%- else -%}
            {%- set shown = [network // 16777216, (network // 65536) % 256, (network // 256) % 256, network % 256] | join('.') -%}
        {%- endif -%}
        {{ return("host bits set beyond /" ~ prefix ~ ": the network is " ~ shown ~ "/" ~ prefix) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
