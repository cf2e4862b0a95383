-- Working days to resolve closed cases (day opened = day 0): the median, or another quantile
-- set by the catalogue ($quantile: 0.5 median, 0.9 the 90th percentile), as an observed
-- number of days: the fewest working days within which at least that share of the cases
-- were resolved ("90% within 23 working days"), never a value between two cases. Worked
-- exactly from the histogram in cases_closed_monthly (days are whole numbers).
-- Quantile of: measures/end_to_end/working_days_histogram
-- (its months kept whole at ingest: a selection of services or channels the kept results do
-- not hold is worked out from them in memory, by this rule: engine/kept.py, from_histogram)
-- Grain: one row per period and service (or $by group), plus the all-services row (NULL).
-- Parameters: $quantile, $by (service or channel), $grain, $start, $end, $services,
-- $channels.
with resolved as (
    select
        period_start($grain, c.month_start) as period_start,
        breakdown($by, c.service, c.channel, null, null) as service,
        c.working_days_to_close as days,
        c.cases
    from cases_closed_monthly as c
    where
        c.month_start between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

histogram as (
    select
        period_start,
        service,
        days,
        sum(cases) as cases
    from resolved
    group by grouping sets ((period_start, service, days), (period_start, days))
),

cumulative as (
    select
        *,
        sum(cases) over (partition by period_start, service order by days) as up_to,
        sum(cases) over (partition by period_start, service) as total
    from histogram
),

final as (
    select
        period_start,
        service,
        min(days) filter (where up_to >= ceil(total * $quantile)) as value,
        max(total) as base
    from cumulative
    group by period_start, service, total
)

select * from final
order by period_start, service nulls first
