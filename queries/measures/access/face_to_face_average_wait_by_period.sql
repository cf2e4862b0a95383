-- Face-to-face average wait: mean minutes visitors waited to be seen at a service centre.
-- Read from contacts_monthly (contacts counted by month, service, channel and site).
-- Grain: one row per period and service (or $by group), plus the all-services row (NULL).
-- Parameters: $by (breakdown: service, channel or site), $grain, $start, $end, $services,
-- $channels.
with counted as (
    select
        period_start($grain, m.month_start) as period_start,
        breakdown($by, m.service, m.channel, m.site, NULL) as service,
        m.visit_wait_seconds as wait_seconds,
        m.visits_with_wait as waits
    from contacts_monthly as m
    where
        m.visits_with_wait > 0
        and m.month_start between $start and $end
        and in_scope(m.service, $services)
        and in_scope(m.channel, $channels)
),

final as (
    select
        period_start,
        service,
        sum(wait_seconds) / 60.0 / sum(waits) as value,
        sum(waits) as base
    from counted
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
