-- Calls answered within 60 seconds of joining the queue, as a share of calls offered
-- (abandoned calls count as offered and not answered).
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Parameters: $by (breakdown: service, channel, site or contractor), $grain, $start, $end, $services, $channels.
with calls as (
    select
        period_start($grain, c.received_on) as period_start,
        breakdown($by, c.service, c.channel, c.site, NULL) as service,
        c.answered_within_60s
    from contacts_v as c
    where
        c.is_call
        and c.received_on between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

final as (
    select
        period_start,
        service,
        count(*) filter (where answered_within_60s) as numerator,
        count(*) as denominator
    from calls
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
