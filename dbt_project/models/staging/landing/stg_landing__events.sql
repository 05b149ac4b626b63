with events as (
    select * from {{ ref('base_landing__events') }}
    where exclusion_reason is null
),

final as (
    select
        event_id,
        profile_id,
        anonymous_id,
        event_type,
        channel,
        occurred_at,
        product_id,
        order_id,
        original_occurred_at,
        is_synthetic,
        profile_id is null as is_anonymous,
        -- Unknown types are kept (and counted) but no model uses them.
        coalesce(event_type in (
            'product_viewed',
            'product_added',
            'order_completed',
            'order_refunded',
            'session_started',
            'app_opened'
        ), false) as is_known_event_type,
        coalesce(channel in ('web', 'app', 'email'), false) as is_known_channel,
        has_naive_timestamp,
        _batch_name
    from events
)

select * from final
