{#
    Read every batch file of one landing table, Parquet and JSON Lines alike, unioned by name.

    Adds `_source_file` (the file read) and `_batch_name` (the file name without extension or
    `-partNNNN` suffix: its batch, named so that it sorts by batch time).

    `optional_columns` maps each optional contract column to its type: a typed empty row set
    is unioned in by name, so a column no file carries comes out as NULL instead of failing.
#}
{% macro read_landing(table, optional_columns={}) %}
    {#- Recorded as a dependency so the lineage starts at the landing folder. -#}
    {%- set landing_table = source('landing', table) -%}
    {%- set landing_dir = env_var('ACTIVATION_LANDING_DIR', '../data/landing').rstrip('/') -%}
    {%- set folder = landing_dir ~ '/' ~ table -%}
    {%- if not execute -%}
        (select null as _source_file)
    {%- else -%}
        {%- set parquet_files = landing_files(folder, 'parquet') -%}
        {%- set jsonl_files = landing_files(folder, 'jsonl') -%}
        {%- if not parquet_files and not jsonl_files -%}
            {{ exceptions.raise_compiler_error(
                "landing table '" ~ table ~ "' has no *.parquet or *.jsonl files in " ~ folder
                ~ " (set ACTIVATION_LANDING_DIR to the landing folder)"
            ) }}
        {%- endif -%}
        (
            select
                *,
                regexp_extract(_source_file, '([^/\\]+?)(-part[0-9]+)?\.[a-z]+$', 1) as _batch_name
            from (
                {%- if parquet_files %}
                select * rename (filename as _source_file)
                from read_parquet({{ sql_string_list(parquet_files) }}, union_by_name = true, filename = true)
                {%- endif %}
                {%- if parquet_files and jsonl_files %}
                union all by name
                {%- endif %}
                {%- if jsonl_files %}
                select * rename (filename as _source_file)
                from read_json(
                    {{ sql_string_list(jsonl_files) }},
                    format = 'newline_delimited',
                    union_by_name = true,
                    filename = true
                )
                {%- endif %}
                {%- for column_name, column_type in optional_columns.items() %}
                {%- if loop.first %}
                union all by name
                select
                {%- endif %}
                    cast(null as {{ column_type }}) as {{ column_name }}{{ "," if not loop.last }}
                {%- if loop.last %}
                where false
                {%- endif %}
                {%- endfor %}
            )
        )
    {%- endif -%}
{% endmacro %}


{% macro landing_files(folder, extension) %}
    {%- set pattern = folder ~ '/*.' ~ extension -%}
    {%- set found = run_query(
        "select file from glob(" ~ sql_string(pattern) ~ ") order by file"
    ) -%}
    {{- return(found.columns[0].values() | list) -}}
{% endmacro %}


{% macro sql_string(text) %}
    {{- return("'" ~ (text | replace("'", "''")) ~ "'") -}}
{% endmacro %}


{% macro sql_string_list(texts) %}
    {%- set quoted = [] -%}
    {%- for text in texts -%}
        {%- do quoted.append(sql_string(text)) -%}
    {%- endfor -%}
    {{- return('[' ~ (quoted | join(', ')) ~ ']') -}}
{% endmacro %}


{#
    A landing timestamp as a UTC instant, whatever its landed type: a Parquet timestamptz, a
    naive Parquet timestamp, or an ISO 8601 string. Anything without an offset is read as UTC,
    never in the session time zone.
#}
{% macro landing_instant(column_name) %}
    case
        when {{ landing_instant_is_naive(column_name) }}
            then timezone('UTC', cast(cast({{ column_name }} as varchar) as timestamp))
        else cast(cast({{ column_name }} as varchar) as timestamptz)
    end
{% endmacro %}


{% macro landing_instant_is_naive(column_name) %}
    (
        {{ column_name }} is not null
        and not regexp_matches(
            trim(cast({{ column_name }} as varchar)), '\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|UTC|[+-]\d{2}(:?\d{2})?)$'
        )
    )
{% endmacro %}


{#- A landed value as trimmed text, with empty strings read as NULL. -#}
{% macro landing_text(column_name) %}
    nullif(trim(cast({{ column_name }} as varchar)), '')
{% endmacro %}
