-- Working days to resolve closed cases (day opened = day 0): the median, or another quantile
-- set by the catalogue ($quantile: 0.5 median, 0.9 the 90th percentile), interpolated as
-- quantile_cont does: at position (n - 1) x q in the sorted days, between the values either
-- side. Worked exactly from the histogram in cases_closed_monthly (days are whole numbers).
-- Grain: one row per period and service (or $by group), plus the all-services row (NULL).
-- Parameters: $quantile, $by (service or channel), $grain, $start, $end, $services,
-- $channels.
with resolved as (
    select
        period_start($grain, c.month_start) as period_start,
        breakdown($by, c.service, c.channel, NULL, NULL) as service,
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
        min(days) filter (where up_to > floor((total - 1) * $quantile))
        + ((total - 1) * $quantile - floor((total - 1) * $quantile))
        * (
            min(days) filter (where up_to > ceil((total - 1) * $quantile))
            - min(days) filter (where up_to > floor((total - 1) * $quantile))
        ) as value,
        max(total) as base
    from cumulative
    group by period_start, service, total
)

select * from final
order by period_start, service nulls first
