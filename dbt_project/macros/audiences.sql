{#
    Every audience model, by name: the one place a new audience is registered.

    `segment_memberships` refs each of these; dbt cannot discover models from the graph while
    it parses, so an audience missing here would silently never be synced.
#}
{% macro audiences() %}
    {{ return([
        'cart_abandoners',
        'win_back',
        'high_value_customers',
        'recent_category_browsers',
        'lapsed_app_users',
        'new_customers',
    ]) }}
{% endmacro %}
