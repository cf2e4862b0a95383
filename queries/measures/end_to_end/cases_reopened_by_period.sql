-- Cases reopened: closed cases that were later reopened, as a share of cases closed, by the
-- month they (first) closed.
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Parameters: $by (breakdown: service, channel, site or contractor), $grain, $start, $end, $services, $channels.
with resolved as (
    select
        period_start($grain, c.closed_on) as period_start,
        breakdown($by, c.service, c.channel, NULL, NULL) as service,
        coalesce(c.reopened, false) as reopened
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
        count(*) filter (where reopened) as numerator,
        count(*) as denominator
    from resolved
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
