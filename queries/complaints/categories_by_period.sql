-- New complaints (stage 1) by theme (category) and period received, with how many of them
-- were upheld or partly upheld at stage 1; blank categories as 'Not recorded'.
-- Grain: one row per period and category.
-- Parameters: $grain, $start, $end (received between), $services, $channels (lists or NULL).
with stage_one as (
    select
        period_start($grain, received_on) as period_start,
        coalesce(nullif(trim(category), ''), 'Not recorded') as category,
        coalesce(outcome in ('upheld', 'partly_upheld'), false) as upheld
    from complaints
    where
        stage = 1
        and received_on between $start and $end
        and in_scope(service, $services)
        and in_scope(channel, $channels)
),

final as (
    select
        period_start,
        category,
        count(*) as complaints,
        count(*) filter (where upheld) as upheld
    from stage_one
    group by period_start, category
)

select * from final
order by period_start asc, complaints desc, category asc
