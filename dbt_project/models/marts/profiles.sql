with profiles as (
    select * from {{ ref('stg_landing__profiles') }}
),

clock as (
    select evaluated_at from {{ ref('int_audience_clock') }}
),

order_revenue as (
    select * from {{ ref('int_profile_order_revenue') }}
),

cart_states as (
    select * from {{ ref('int_profile_cart_states') }}
),

channel_activity as (
    select * from {{ ref('int_profile_channel_activity') }}
),

consents as (
    select * from {{ ref('int_profile_consents') }}
),

activity_by_channel as (
    select
        profile_id,
        max(case when channel = 'web' then last_active_at end) as last_web_activity_at,
        max(case when channel = 'app' then last_active_at end) as last_app_activity_at,
        max(case when channel = 'email' then last_active_at end) as last_email_activity_at
    from channel_activity
    group by profile_id
),

consent_by_channel as (
    select
        profile_id,
        bool_or(channel = 'email' and is_opted_in) as is_email_opted_in,
        bool_or(channel = 'sms' and is_opted_in) as is_sms_opted_in,
        bool_or(channel = 'push' and is_opted_in) as is_push_opted_in,
        bool_or(channel = 'ads' and is_opted_in) as is_ads_opted_in
    from consents
    group by profile_id
),

final as (
    select
        profiles.profile_id,
        profiles.email,
        profiles.phone,
        profiles.first_name,
        profiles.last_name,
        profiles.country_code,
        profiles.time_zone,
        profiles.created_at,
        profiles.is_synthetic,
        coalesce(order_revenue.order_count, 0) as order_count,
        coalesce(order_revenue.refund_count, 0) as refund_count,
        coalesce(order_revenue.lifetime_net_revenue, 0) as lifetime_net_revenue,
        order_revenue.first_order_at,
        order_revenue.last_order_at,
        -- Whole days as elapsed time between instants, so the session time zone cannot shift it.
        cast(floor(
            (epoch(clock.evaluated_at) - epoch(order_revenue.last_order_at)) / 86400
        ) as bigint) as days_since_last_order,
        cart_states.last_cart_added_at,
        coalesce(cart_states.open_cart_item_count, 0) as open_cart_item_count,
        coalesce(cart_states.open_cart_value, 0) as open_cart_value,
        coalesce(cart_states.has_purchase_after_cart_add, false) as has_purchase_after_cart_add,
        activity_by_channel.last_web_activity_at,
        activity_by_channel.last_app_activity_at,
        activity_by_channel.last_email_activity_at,
        coalesce(consent_by_channel.is_email_opted_in, false) as is_email_opted_in,
        coalesce(consent_by_channel.is_sms_opted_in, false) as is_sms_opted_in,
        coalesce(consent_by_channel.is_push_opted_in, false) as is_push_opted_in,
        coalesce(consent_by_channel.is_ads_opted_in, false) as is_ads_opted_in,
        clock.evaluated_at
    from profiles
    cross join clock
    left join order_revenue on profiles.profile_id = order_revenue.profile_id
    left join cart_states on profiles.profile_id = cart_states.profile_id
    left join activity_by_channel on profiles.profile_id = activity_by_channel.profile_id
    left join consent_by_channel on profiles.profile_id = consent_by_channel.profile_id
)

select * from final
