-- Average speed of answer: mean seconds answered calls waited in the queue.
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Parameters: $by (breakdown: service, channel, site or contractor), $grain, $start, $end, $services, $channels.
with answered as (
    select
        period_start($grain, c.received_on) as period_start,
        breakdown($by, c.service, c.channel, c.site, NULL) as service,
        c.wait_seconds
    from contacts_v as c
    where
        c.is_call
        and not c.is_abandoned
        and c.wait_seconds is not null
        and c.received_on between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

final as (
    select
        period_start,
        service,
        avg(wait_seconds) as value,
        count(*) as base
    from answered
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
