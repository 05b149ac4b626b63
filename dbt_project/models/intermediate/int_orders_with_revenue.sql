-- One row per order placed up to the evaluation instant, with its net revenue.
with orders as (
    select * from {{ ref('stg_landing__orders') }}
),

order_lines as (
    select * from {{ ref('stg_landing__order_lines') }}
),

products as (
    select * from {{ ref('stg_landing__products') }}
),

clock as (
    select evaluated_at from {{ ref('int_audience_clock') }}
),

lines_with_reason as (
    select
        order_lines.order_id,
        order_lines.quantity,
        order_lines.line_amount,
        coalesce(
            order_lines.revenue_exclusion_reason,
            case when not products.is_merchandise then 'not_merchandise' end
        ) as revenue_exclusion_reason
    from order_lines
    left join products on order_lines.product_id = products.product_id
),

line_totals as (
    select
        order_id,
        count(*) as line_count,
        cast(
            sum(case when revenue_exclusion_reason is null then 1 else 0 end) as bigint
        ) as revenue_line_count,
        cast(
            sum(case when revenue_exclusion_reason is null then 0 else 1 end) as bigint
        ) as excluded_line_count,
        sum(case when revenue_exclusion_reason is null then line_amount else 0 end) as net_revenue
    from lines_with_reason
    group by order_id
),

final as (
    select
        orders.order_id,
        orders.profile_id,
        orders.anonymous_id,
        orders.ordered_at,
        orders.is_refund,
        orders.is_guest_order,
        orders.currency,
        coalesce(line_totals.line_count, 0) as line_count,
        coalesce(line_totals.revenue_line_count, 0) as revenue_line_count,
        coalesce(line_totals.excluded_line_count, 0) as excluded_line_count,
        coalesce(line_totals.net_revenue, 0) as net_revenue
    from orders
    cross join clock
    left join line_totals on orders.order_id = line_totals.order_id
    where orders.ordered_at <= clock.evaluated_at
)

select * from final
