-- The one instant every audience is evaluated at.
select
    evaluated_at,
    is_stated,
    data_watermark_at
from {{ ref('int_audience_clock') }}
