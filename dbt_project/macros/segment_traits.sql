{#
    The traits of one audience row as canonical JSON: every column but `profile_id`, keys sorted,
    instants written in UTC. The same row therefore always gives the same text (and hash),
    whatever the session time zone or the column order of the audience model.

    When the audience's columns cannot be read (at parse time, or in a unit test where the
    audience is a fixture), it falls back to the row as JSON in column order.
#}
{% macro segment_traits(audience_relation, row_alias) %}
    {%- set columns = [] -%}
    {#- A unit test's audience is a fixture: there is no relation to read columns from. -#}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {%- set columns = adapter.get_columns_in_relation(audience_relation) -%}
    {%- endif -%}
    {%- set trait_columns = columns
        | rejectattr('name', 'equalto', 'profile_id')
        | sort(attribute='name')
        | list -%}
    {%- if trait_columns -%}
        json_object(
            {%- for column in trait_columns %}
            {{ sql_string(column.name) }}, {{ json_trait_value(row_alias ~ '.' ~ adapter.quote(column.name), column.dtype) }}{{ "," if not loop.last }}
            {%- endfor %}
        )
    {%- else -%}
        json_merge_patch(to_json({{ row_alias }}), '{"profile_id": null}')
    {%- endif -%}
{% endmacro %}


{% macro json_trait_value(expression, data_type) %}
    {%- if 'WITH TIME ZONE' in data_type | upper or data_type | upper == 'TIMESTAMPTZ' -%}
        strftime(timezone('UTC', {{ expression }}), '%Y-%m-%dT%H:%M:%S.%fZ')
    {%- else -%}
        {{ expression }}
    {%- endif -%}
{% endmacro %}
