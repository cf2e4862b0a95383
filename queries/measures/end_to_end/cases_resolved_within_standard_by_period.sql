-- Cases resolved within their service standard: closed cases whose working days from opening
-- to closing (day opened = day 0) were no more than the standard, by the month they closed.
-- Cancelled cases are left out. The catalogue may restrict to cases needing several services
-- ($multi_service_only = true) to check complex cases get the same standard as simple ones.
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Parameters: $by (breakdown: service, channel, site or contractor), $multi_service_only, $grain, $start, $end, $services, $channels.
with resolved as (
    select
        period_start($grain, c.closed_on) as period_start,
        breakdown($by, c.service, c.channel, NULL, NULL) as service,
        c.within_standard
    from cases_v as c
    where
        c.is_resolved
        and (not $multi_service_only or c.is_multi_service)
        and c.closed_on between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

final as (
    select
        period_start,
        service,
        count(*) filter (where within_standard) as numerator,
        count(*) as denominator
    from resolved
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
