{#
    Every audience model, by name: the one place a new audience is registered.

    `segment_memberships` refs each of these; dbt cannot discover models from the graph while
    it parses, so an audience missing here would silently never be synced.

    Inside a unit test only the audiences the test gives as inputs are returned. A unit test
    replaces each input with a fixture and cannot ref anything it does not give, so a test that
    had to name every audience would break each time one is added; this way each test names
    only the audiences it exercises.
#}
{% macro audiences() %}
    {%- set registered = [
        'cart_abandoners',
        'win_back',
        'high_value_customers',
        'recent_category_browsers',
        'lapsed_app_users',
        'new_customers',
    ] -%}
    {%- if not (execute and model is mapping and model.resource_type == 'unit_test') -%}
        {{ return(registered) }}
    {%- endif -%}
    {#- An input fixture stands in for the model it replaces under the same name. -#}
    {%- set fixture_prefix = 'model.' ~ project_name ~ '.' -%}
    {%- set given = model.depends_on.nodes | map('replace', fixture_prefix, '') | list -%}
    {%- set audiences_given = registered | select('in', given) | list -%}
    {%- if not audiences_given -%}
        {{ exceptions.raise_compiler_error(
            "unit test '" ~ model.name ~ "' gives no audience model as input; give at least one "
            ~ "(with rows: [] for an empty one)"
        ) }}
    {%- endif -%}
    {{ return(audiences_given) }}
{% endmacro %}
