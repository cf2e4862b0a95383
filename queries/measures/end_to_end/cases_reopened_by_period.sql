-- Cases reopened: closed cases that were later reopened, as a share of cases closed, by the
-- month they (first) closed. Read from cases_closed_monthly.
-- Grain: one row per period and service (or $by group), plus the all-services row (NULL).
-- Additive: counts of records in one service and one period each, no condition on the sums,
-- so a selection of services, or a quarter's months, is the sum of their rows.
-- Parameters: $by (service or channel), $grain, $start, $end, $services, $channels.
with resolved as (
    select
        period_start($grain, c.month_start) as period_start,
        breakdown($by, c.service, c.channel, null, null) as service,
        c.reopened,
        c.cases
    from cases_closed_monthly as c
    where
        c.month_start between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

final as (
    select
        period_start,
        service,
        coalesce(sum(cases) filter (where reopened), 0) as numerator,
        sum(cases) as denominator
    from resolved
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
