-- Working days to resolve closed cases (day opened = day 0): the median, or another quantile
-- set by the catalogue ($quantile: 0.5 median, 0.9 the 90th percentile), interpolated.
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Parameters: $by (breakdown: service, channel, site or contractor), $quantile, $grain, $start, $end, $services, $channels.
with resolved as (
    select
        period_start($grain, c.closed_on) as period_start,
        breakdown($by, c.service, c.channel, NULL, NULL) as service,
        c.working_days_to_close
    from cases_v as c
    where
        c.is_resolved
        and c.closed_on between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

final as (
    select
        period_start,
        service,
        quantile_cont(working_days_to_close, $quantile) as value,
        count(*) as base
    from resolved
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
