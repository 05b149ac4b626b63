-- Every landed profile row, typed, with the reason it is excluded from staging (if it is).
with landed as (
    select *
    from {{ read_landing('profiles', optional_columns={
        'first_name': 'varchar',
        'last_name': 'varchar',
        'is_synthetic': 'boolean',
    }) }}
),

typed as (
    select
        {{ landing_text('profile_id') }} as profile_id,
        {{ landing_text('email') }} as email,
        {{ landing_text('phone') }} as phone,
        {{ landing_text('first_name') }} as first_name,
        {{ landing_text('last_name') }} as last_name,
        upper({{ landing_text('country_code') }}) as country_code,
        {{ landing_text('time_zone') }} as time_zone,
        {{ landing_instant('created_at') }} as created_at,
        coalesce(cast(is_synthetic as boolean), false) as is_synthetic,
        {{ landing_instant_is_naive('created_at') }} as has_naive_timestamp,
        _batch_name,
        _source_file
    from landed
),

ranked as (
    select
        *,
        row_number() over (
            partition by profile_id order by _batch_name desc, _source_file desc
        ) as batch_rank
    from typed
),

classified as (
    select
        *,
        case
            when profile_id is null then 'missing_profile_id'
            when batch_rank > 1 then 'superseded_by_newer_batch'
        end as exclusion_reason
    from ranked
)

select * from classified
