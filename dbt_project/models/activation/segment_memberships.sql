-- One row per audience and member profile, with the member's traits and their hash.
with

{% for audience in audiences() %}
{{ audience }}_members as (
    select
        '{{ audience }}' as audience,
        cast(members.profile_id as varchar) as profile_id,
        {{ segment_traits(ref(audience), 'members') }} as traits
    from {{ ref(audience) }} as members
),

{% endfor %}

members as (
    {%- for audience in audiences() %}
    select * from {{ audience }}_members
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

profiles as (
    select * from {{ ref('profiles') }}
),

clock as (
    select evaluated_at from {{ ref('audience_clock') }}
),

final as (
    select
        members.audience,
        members.profile_id,
        profiles.email,
        profiles.phone,
        members.traits,
        -- The traits text is canonical and never NULL, so equal traits always hash alike.
        md5(coalesce(cast(members.traits as varchar), '{}')) as traits_hash,
        clock.evaluated_at
    from members
    cross join clock
    left join profiles on members.profile_id = profiles.profile_id
)

select * from final
