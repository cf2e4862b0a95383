-- Calls answered within 60 seconds of joining the queue, as a share of calls offered
-- (abandoned calls count as offered and not answered).
-- Read from contacts_monthly (contacts counted by month, service, channel and site).
-- Grain: one row per period and service (or $by group), plus the all-services row (NULL).
-- Parameters: $by (breakdown: service, channel or site), $grain, $start, $end, $services,
-- $channels.
with counted as (
    select
        period_start($grain, m.month_start) as period_start,
        breakdown($by, m.service, m.channel, m.site, NULL) as service,
        m.answered_within_60s as hits,
        m.calls as cases
    from contacts_monthly as m
    where
        m.calls > 0
        and m.month_start between $start and $end
        and in_scope(m.service, $services)
        and in_scope(m.channel, $channels)
),

final as (
    select
        period_start,
        service,
        sum(hits) as numerator,
        sum(cases) as denominator
    from counted
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
