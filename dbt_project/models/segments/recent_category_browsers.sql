-- Viewed a product of category `browse_category` in the 7 days up to the evaluation instant.
with category_views as (
    select * from {{ ref('profile_category_views') }}
),

profiles as (
    select * from {{ ref('profiles') }}
),

browsers as (
    select
        profiles.profile_id,
        profiles.first_name,
        category_views.category,
        category_views.view_count,
        category_views.last_viewed_at
    from category_views
    inner join profiles on category_views.profile_id = profiles.profile_id
    where
        category_views.category = lower('{{ var("browse_category", "christmas") }}')
        and category_views.last_viewed_at > profiles.evaluated_at - interval (7 * 24) hour
)

select * from browsers
