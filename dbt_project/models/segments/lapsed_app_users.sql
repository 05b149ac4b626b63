-- Has used the app before, but not in the 30 days up to the evaluation instant.
with profiles as (
    select * from {{ ref('profiles') }}
),

lapsed as (
    select
        profile_id,
        first_name,
        last_app_activity_at
    from profiles
    where
        last_app_activity_at is not null
        and last_app_activity_at <= evaluated_at - interval (30 * 24) hour
)

select * from lapsed
