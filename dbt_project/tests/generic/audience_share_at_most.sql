{#
    Fails when an audience holds more than `max_share` of all profiles. An audience that
    suddenly swallows most of the customer base is nearly always a broken join or a duplicated
    feed, and syncing it would spam everyone; the failing test blocks the audience's syncs.
#}
{% test audience_share_at_most(model, max_share) %}

with

audience as (
    select count(*) as audience_size from {{ model }}
),

everyone as (
    select count(*) as profile_count from {{ ref('profiles') }}
)

select
    audience.audience_size,
    everyone.profile_count
from audience
cross join everyone
where everyone.profile_count > 0
    and audience.audience_size > {{ max_share }} * everyone.profile_count

{% endtest %}
