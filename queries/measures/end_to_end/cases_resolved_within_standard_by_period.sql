-- Cases resolved within their service standard: closed cases whose working days from opening
-- to closing (day opened = day 0) were no more than the standard, by the month they closed.
-- Cancelled cases are left out. The catalogue may restrict to cases needing several services
-- ($services_involved = 'multi') or one ('single') to check complex cases get the same
-- standard as simple ones (NULL = all cases).
-- Read from cases_closed_monthly.
-- Grain: one row per period and service (or $by group), plus the all-services row (NULL).
-- Additive: counts of records in one service and one period each, no condition on the sums,
-- so a selection of services, or a quarter's months, is the sum of their rows.
-- Parameters: $services_involved, $by (service or channel), $grain, $start, $end,
-- $services, $channels.
with resolved as (
    select
        period_start($grain, c.month_start) as period_start,
        breakdown($by, c.service, c.channel, null, null) as service,
        c.within_standard,
        c.cases
    from cases_closed_monthly as c
    where
        (
            $services_involved is null
            or c.is_multi_service = ($services_involved = 'multi')
        )
        and c.month_start between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

final as (
    select
        period_start,
        service,
        coalesce(sum(cases) filter (where within_standard), 0) as numerator,
        sum(cases) as denominator
    from resolved
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
