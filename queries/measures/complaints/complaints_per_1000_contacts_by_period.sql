-- Complaints per 1,000 contacts: stage 1 complaints received, per 1,000 contacts received
-- in the same period and service (the catalogue's unit scales the ratio by 1,000).
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Additive by service: counts of records in one service each, no condition on the sums, so
-- a selection of services is the sum of its services' rows (engine: summed_selection); not
-- by period: a month's complaints count only against a month of contacts of their service.
-- Parameters: $by (breakdown: service, channel, site or contractor), $grain, $start, $end,
-- $services, $channels.
with complaint_counts as (
    select
        period_start($grain, c.received_on) as period_start,
        breakdown($by, c.service, c.channel, null, null) as service,
        count(*) as complaints
    from complaints as c
    where
        c.stage = 1
        and c.received_on between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
    group by all
),

contact_counts as (
    select
        period_start($grain, m.month_start) as period_start,
        breakdown($by, m.service, m.channel, null, null) as service,
        sum(m.contacts) as contacts
    from contacts_monthly as m
    where
        m.month_start between $start and $end
        and in_scope(m.service, $services)
        and in_scope(m.channel, $channels)
    group by all
),

final as (
    select
        n.period_start,
        n.service,
        sum(coalesce(k.complaints, 0)) as numerator,
        sum(n.contacts) as denominator
    from contact_counts as n
    left join complaint_counts as k using (period_start, service)
    group by grouping sets ((n.period_start, n.service), (n.period_start))
)

select * from final
order by period_start, service nulls first
