-- Every landed order line, typed, with the reason it is excluded from staging (if it is).
with landed as (
    select * from {{ read_landing('order_lines') }}
),

typed as (
    select
        {{ landing_text('order_id') }} as order_id,
        cast(line_number as integer) as line_number,
        {{ landing_text('product_id') }} as product_id,
        cast(quantity as integer) as quantity,
        cast(unit_price as decimal(18, 4)) as unit_price,
        _batch_name,
        _source_file
    from landed
),

ranked as (
    select
        *,
        row_number() over (
            partition by order_id, line_number order by _batch_name desc, _source_file desc
        ) as batch_rank
    from typed
),

classified as (
    select
        *,
        case
            when order_id is null then 'missing_order_id'
            when line_number is null then 'missing_line_number'
            when batch_rank > 1 then 'superseded_by_newer_batch'
        end as exclusion_reason
    from ranked
)

select * from classified
