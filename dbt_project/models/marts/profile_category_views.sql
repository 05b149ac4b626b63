with category_views as (
    select * from {{ ref('int_profile_category_views') }}
)

select * from category_views
