-- One row per profile and channel it was active on, up to the evaluation instant.
with clock as (
    select evaluated_at from {{ ref('int_audience_clock') }}
),

events as (
    select events.*
    from {{ ref('stg_landing__events') }} as events
    cross join clock
    where
        events.profile_id is not null
        and events.is_known_channel
        and events.occurred_at <= clock.evaluated_at
),

final as (
    select
        profile_id,
        channel,
        count(*) as event_count,
        max(occurred_at) as last_active_at
    from events
    group by profile_id, channel
)

select * from final
