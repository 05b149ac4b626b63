"""Behavioural events around the real retail invoices, in DuckDB SQL and in source time.

Only the order events are observed. Browsing is derived so that it is consistent with the
baskets: each purchased line was added to the cart 1-30 minutes before checkout and viewed 1-3
times before that; each visitor-day opens with a web session (and, for half the customers, an
app open). Abandoned carts are added on the day before a real purchase of the same product, so
some people abandon a cart one day and buy the next.
"""

from __future__ import annotations

EVENTS = """
create temp table events as
with purchase_lines as (
    select
        lines.*,
        lines.source_at - to_minutes(cast(1 + h(lines.order_id || lines.product_id) % 30 as bigint))
            as added_at
    from source_lines as lines
    inner join products on lines.product_id = products.product_id
    where lines.is_sale and lines.quantity > 0 and products.is_merchandise
),

cart_adds as (
    select
        'added:' || order_id || ':' || line_number as event_key,
        profile_id,
        anonymous_id,
        'product_added' as event_type,
        added_at as source_at,
        source_day,
        product_id,
        null as order_id
    from purchase_lines
),

numbered_views as (
    select
        *,
        unnest(range(1, cast(2 + h('views:' || order_id || ':' || line_number) % 3 as bigint)))
            as view_number
    from purchase_lines
),

product_views as (
    select
        'viewed:' || order_id || ':' || line_number || ':' || view_number as event_key,
        profile_id,
        anonymous_id,
        'product_viewed' as event_type,
        added_at - to_minutes(cast(
            view_number * (1 + h('view-gap:' || order_id || ':' || line_number) % 4) as bigint
        )) as source_at,
        source_day,
        product_id,
        null as order_id
    from numbered_views
),

bought_days as (
    select distinct profile_id, product_id, source_day
    from purchase_lines
    where profile_id is not null
),

-- The day before a purchase, for a known customer who had bought before that day and did not
-- buy the same product on it.
abandon_candidates as (
    select
        bought.profile_id,
        bought.product_id,
        bought.source_day - 1 as cart_day,
        concat_ws(
            ':', bought.profile_id, bought.product_id, strftime(bought.source_day, '%Y-%m-%d')
        ) as pair_key
    from bought_days as bought
    inner join customers on bought.profile_id = customers.profile_id
    where
        h(bought.profile_id || bought.product_id || strftime(bought.source_day, '%Y-%m-%d'))
        % 100 < 5
        and bought.source_day - 1 > customers.first_day
        and not exists (
            select 1
            from bought_days as same_day
            where
                same_day.profile_id = bought.profile_id
                and same_day.product_id = bought.product_id
                and same_day.source_day = bought.source_day - 1
        )
),

day_last_purchases as (
    select profile_id, source_day, max(source_at) as last_at
    from source_lines
    where profile_id is not null and is_sale
    group by profile_id, source_day
),

-- After that day's last purchase if there was one (else the add would not be abandoned).
abandoned_adds as (
    select
        'abandoned:' || candidates.pair_key as event_key,
        candidates.profile_id,
        null as anonymous_id,
        'product_added' as event_type,
        coalesce(
            purchases.last_at
            + to_minutes(cast(5 + h('abandon-after:' || candidates.pair_key) % 60 as bigint)),
            timezone(
                'Europe/London',
                candidates.cart_day + interval 9 hour
                + to_minutes(cast(h('abandon-at:' || candidates.pair_key) % 600 as bigint))
            )
        ) as source_at,
        candidates.cart_day as source_day,
        candidates.product_id,
        null as order_id
    from abandon_candidates as candidates
    left join day_last_purchases as purchases
        on
            candidates.profile_id = purchases.profile_id
            and candidates.cart_day = purchases.source_day
),

order_events as (
    select
        (case when is_refund then 'refunded:' else 'completed:' end) || order_id as event_key,
        profile_id,
        anonymous_id,
        case when is_refund then 'order_refunded' else 'order_completed' end as event_type,
        source_at,
        source_day,
        null as product_id,
        order_id
    from orders
    where is_refund or is_sale
),

browsing as (
    select * from cart_adds
    union all
    select * from product_views
    union all
    select * from abandoned_adds
),

visits as (
    select profile_id, anonymous_id, source_day, min(source_at) as first_at
    from (
        select * from browsing
        union all
        select * from order_events where event_type = 'order_completed'
    )
    group by profile_id, anonymous_id, source_day
),

visit_events as (
    select
        'session:' || coalesce(profile_id, anonymous_id) || ':' || source_day as event_key,
        profile_id,
        anonymous_id,
        'session_started' as event_type,
        'web' as channel,
        first_at - interval 1 minute as source_at
    from visits
    union all
    select
        'app:' || profile_id || ':' || source_day as event_key,
        profile_id,
        anonymous_id,
        'app_opened' as event_type,
        'app' as channel,
        first_at - interval 2 minute as source_at
    from visits
    where profile_id is not null and h('app:' || profile_id) % 100 < 50
)

select
    'ev_' || substr(sha256('online-retail:' || event_key), 1, 32) as event_id,
    profile_id,
    anonymous_id,
    event_type,
    'web' as channel,
    source_at,
    product_id,
    order_id,
    true as is_synthetic
from browsing
union all
select
    'ev_' || substr(sha256('online-retail:' || event_key), 1, 32),
    profile_id,
    anonymous_id,
    event_type,
    'web',
    source_at,
    product_id,
    order_id,
    false
from order_events
union all
select
    'ev_' || substr(sha256('online-retail:' || event_key), 1, 32),
    profile_id,
    anonymous_id,
    event_type,
    channel,
    source_at,
    null,
    null,
    true
from visit_events
"""
