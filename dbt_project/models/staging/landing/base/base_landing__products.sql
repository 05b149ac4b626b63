-- Every landed product row, typed, with the reason it is excluded from staging (if it is).
with landed as (
    select * from {{ read_landing('products') }}
),

typed as (
    select
        {{ landing_text('product_id') }} as product_id,
        {{ landing_text('name') }} as product_name,
        lower({{ landing_text('category') }}) as category,
        cast(is_merchandise as boolean) as is_merchandise,
        _batch_name,
        _source_file
    from landed
),

ranked as (
    select
        *,
        row_number() over (
            partition by product_id order by _batch_name desc, _source_file desc
        ) as batch_rank
    from typed
),

classified as (
    select
        *,
        case
            when product_id is null then 'missing_product_id'
            when batch_rank > 1 then 'superseded_by_newer_batch'
        end as exclusion_reason
    from ranked
)

select * from classified
