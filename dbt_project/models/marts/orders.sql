with orders as (
    select * from {{ ref('int_orders_with_revenue') }}
)

select * from orders
