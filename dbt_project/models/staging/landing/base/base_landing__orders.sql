-- Every landed order row, typed, with the reason it is excluded from staging (if it is).
with landed as (
    select *
    from {{ read_landing('orders', optional_columns={
        'country_code': 'varchar',
        'original_ordered_at': 'varchar',
        'is_synthetic': 'boolean',
    }) }}
),

typed as (
    select
        {{ landing_text('order_id') }} as order_id,
        {{ landing_text('profile_id') }} as profile_id,
        {{ landing_text('anonymous_id') }} as anonymous_id,
        {{ landing_instant('ordered_at') }} as ordered_at,
        coalesce(cast(is_refund as boolean), false) as is_refund,
        upper({{ landing_text('currency') }}) as currency,
        upper({{ landing_text('country_code') }}) as country_code,
        {{ landing_instant('original_ordered_at') }} as original_ordered_at,
        coalesce(cast(is_synthetic as boolean), false) as is_synthetic,
        (
            {{ landing_instant_is_naive('ordered_at') }}
            or {{ landing_instant_is_naive('original_ordered_at') }}
        ) as has_naive_timestamp,
        _batch_name,
        _source_file
    from landed
),

ranked as (
    select
        *,
        row_number() over (
            partition by order_id order by _batch_name desc, _source_file desc
        ) as batch_rank
    from typed
),

classified as (
    select
        *,
        case
            when order_id is null then 'missing_order_id'
            when ordered_at is null then 'missing_ordered_at'
            when batch_rank > 1 then 'superseded_by_newer_batch'
        end as exclusion_reason
    from ranked
)

select * from classified
