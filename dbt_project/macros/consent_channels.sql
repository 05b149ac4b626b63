{#- The channels consent is recorded for; every profile has one consent state per channel. -#}
{% macro consent_channels() %}
    {{ return(['email', 'sms', 'push', 'ads']) }}
{% endmacro %}
