-- Complaints acknowledged within 5 working days of receipt (day received = day 0), at either
-- stage, by the period received. A complaint not yet acknowledged counts as late once its
-- 5 days have passed and is left out until then.
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Additive: counts of records in one service and one period each, no condition on the sums,
-- so a selection of services, or a quarter's months, is the sum of their rows.
-- Parameters: $by (breakdown: service, channel, site or contractor), $grain, $start, $end,
-- $services, $channels.
with due as (
    select
        period_start($grain, c.received_on) as period_start,
        breakdown($by, c.service, c.channel, null, c.contractor) as service,
        coalesce(c.ack_within_5, false) as ack_within_5
    from complaints_v as c
    where
        (c.acknowledged_on is not null or c.as_at_date > c.ack_due_by)
        and c.received_on between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

final as (
    select
        period_start,
        service,
        count(*) filter (where ack_within_5) as numerator,
        count(*) as denominator
    from due
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
