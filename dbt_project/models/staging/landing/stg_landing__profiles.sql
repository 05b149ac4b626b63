with profiles as (
    select * from {{ ref('base_landing__profiles') }}
    where exclusion_reason is null
),

final as (
    select
        profile_id,
        email,
        phone,
        first_name,
        last_name,
        country_code,
        time_zone,
        created_at,
        is_synthetic,
        email is null as is_email_missing,
        has_naive_timestamp,
        _batch_name
    from profiles
)

select * from final
