{#-
    Translates a CloudWatch Logs filter pattern for space-delimited logs, pasted as
    CloudWatch takes it (`[version, account, ..., destport="22", ..., action="REJECT", ...]`),
    into a SQL condition over the flow records. Terms are positional: the n-th term is the
    n-th field of var `flow_log_fields`, so the names in the pattern are free labels. A term
    may carry conditions on its own name joined by `&&` or by `||` (not both): `=` and `!=`
    (string equality, `*` wildcards, a quoted or bare value), `<`, `<=`, `>`, `>=` on
    numbers. One `...` stands for any run of fields. Anything else stops the run with an
    error naming the filter.
-#}
{% macro cloudwatch_filter_condition(filter_name, pattern, alias='flows') %}
    {%- set re = modules.re -%}
    {%- set fields = vpc_flow_logs.configured_flow_log_fields() -%}
    {%- set columns = {
        'account-id': 'account_id', 'interface-id': 'interface_id', 'vpc-id': 'vpc_id',
        'subnet-id': 'subnet_id', 'instance-id': 'instance_id', 'srcaddr': 'srcaddr',
        'dstaddr': 'dstaddr', 'srcport': 'srcport', 'dstport': 'dstport', 'protocol': 'protocol',
        'packets': 'packets', 'bytes': 'bytes', 'start': 'start_epoch', 'action': 'action',
        'log-status': 'log_status', 'tcp-flags': 'tcp_flags', 'flow-direction': 'flow_direction',
        'type': 'traffic_type'} -%}
    {%- set where = "metric filter '" ~ filter_name ~ "': " -%}
    {%- set text = (pattern or '') | trim -%}
    {%- if not (text.startswith('[') and text.endswith(']')) -%}
        {{ exceptions.raise_compiler_error(where ~ "the pattern must be a space-delimited CloudWatch pattern in square brackets, got: " ~ text) }}
    {%- endif -%}
    {%- set terms = [] -%}
    {%- for raw in text[1:-1].split(',') -%}
        {%- do terms.append(raw | trim) -%}
    {%- endfor -%}
    {%- set ellipses = terms | select('equalto', '...') | list | length -%}
    {%- if ellipses > 1 -%}
        {{ exceptions.raise_compiler_error(where ~ "'...' may appear only once in the pattern.") }}
    {%- endif -%}
    {%- set named = terms | length - ellipses -%}
    {%- if (ellipses == 0 and named != fields | length) or named > fields | length -%}
        {{ exceptions.raise_compiler_error(where ~ "the pattern has " ~ named ~ " fields but var flow_log_fields has " ~ fields | length ~ " (" ~ fields | join(' ') ~ "); use '...' to skip fields.") }}
    {%- endif -%}
    {%- set conditions = [] -%}
    {%- set state = {'position': 0} -%}
    {%- for term in terms -%}
        {%- if term == '...' -%}
            {%- do state.update({'position': state.position + fields | length - named}) -%}
        {%- else -%}
            {%- set field = fields[state.position] -%}
            {%- do state.update({'position': state.position + 1}) -%}
            {%- set bare = re.fullmatch('[A-Za-z_][A-Za-z0-9_-]*', term) -%}
            {%- if not bare -%}
                {%- set joins = re.findall('&&|\|\|', term) -%}
                {%- if joins | unique | list | length > 1 -%}
                    {{ exceptions.raise_compiler_error(where ~ "term '" ~ term ~ "' mixes && and ||; CloudWatch's space-delimited syntax uses one of them per field.") }}
                {%- endif -%}
                {%- set clauses = [] -%}
                {%- set label = {'name': none} -%}
                {%- for clause in re.split('&&|\|\|', term) -%}
                    {%- set m = re.fullmatch('\s*([A-Za-z_][A-Za-z0-9_-]*)\s*(!=|<=|>=|=|<|>)\s*("[^"]*"|[^\s"&|<>=!]+)\s*', clause) -%}
                    {%- if not m -%}
                        {{ exceptions.raise_compiler_error(where ~ "cannot read the condition '" ~ (clause | trim) ~ "' in term '" ~ term ~ "' (expected name, an operator among = != < <= > >=, and a value).") }}
                    {%- endif -%}
                    {%- set name, op, value = m.group(1), m.group(2), m.group(3) -%}
                    {%- if label.name is none -%}{%- do label.update({'name': name}) -%}{%- endif -%}
                    {%- if name != label.name -%}
                        {{ exceptions.raise_compiler_error(where ~ "term '" ~ term ~ "' names both '" ~ label.name ~ "' and '" ~ name ~ "'; each condition must be on the term's own field.") }}
                    {%- endif -%}
                    {%- if field not in columns -%}
                        {{ exceptions.raise_compiler_error(where ~ "term '" ~ term ~ "' is at the position of flow log field '" ~ field ~ "', which metric filters cannot test.") }}
                    {%- endif -%}
                    {%- set column = alias ~ '.' ~ columns[field] -%}
                    {%- set quoted = value.startswith('"') -%}
                    {%- set literal = value[1:-1] if quoted else value -%}
                    {%- set number = re.fullmatch('-?[0-9]+(\.[0-9]+)?', literal) and not quoted -%}
                    {%- if op in ('<', '<=', '>', '>=') -%}
                        {%- if not number -%}
                            {{ exceptions.raise_compiler_error(where ~ "'" ~ op ~ "' needs a number, got " ~ value ~ " in term '" ~ term ~ "'.") }}
                        {%- endif -%}
                        {%- do clauses.append('try_cast(' ~ column ~ ' as double) ' ~ op ~ ' ' ~ literal) -%}
                    {%- else -%}
                        {%- set text_column = 'cast(' ~ column ~ ' as varchar)' -%}
                        {%- if number -%}
                            {%- set test = 'try_cast(' ~ column ~ ' as double) = ' ~ literal -%}
                        {%- elif '*' in literal -%}
                            {%- set escaped = literal.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_').replace('*', '%') -%}
                            {%- set test = text_column ~ ' like ' ~ vpc_flow_logs.sql_string(escaped) ~ " escape '\\'" -%}
                        {%- else -%}
                            {%- set test = text_column ~ ' = ' ~ vpc_flow_logs.sql_string(literal) -%}
                        {%- endif -%}
                        {%- if op == '=' -%}
                            {%- do clauses.append('coalesce(' ~ test ~ ', false)') -%}
                        {%- else -%}
                            {%- do clauses.append('not coalesce(' ~ test ~ ', false)') -%}
                        {%- endif -%}
                    {%- endif -%}
                {%- endfor -%}
                {%- set joiner = ' or ' if '||' in joins else ' and ' -%}
                {%- do conditions.append('(' ~ clauses | join(joiner) ~ ')') -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return('(' ~ (conditions | join(' and ') if conditions else 'true') ~ ')') -}}
{% endmacro %}
