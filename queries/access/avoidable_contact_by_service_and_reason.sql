-- Why contacts were avoidable: avoidable contacts by service and reason over a span of
-- months, with each service's contacts classified (the share's denominator), from the
-- monthly counts (contacts_avoidable and contacts_monthly), as the avoidable contact measure
-- reads them.
-- Grain: one row per service and reason.
-- Parameters: $start, $end, $services, $channels.
with reasons as (
    select
        a.service,
        a.reason,
        sum(a.avoidable) as avoidable
    from contacts_avoidable as a
    where
        a.month_start between $start and $end
        and in_scope(a.service, $services)
        and in_scope(a.channel, $channels)
    group by a.service, a.reason
),

totals as (
    select
        m.service,
        sum(m.avoidable_classified) as classified
    from contacts_monthly as m
    where
        m.month_start between $start and $end
        and in_scope(m.service, $services)
        and in_scope(m.channel, $channels)
    group by m.service
),

final as (
    select
        r.service,
        r.reason,
        r.avoidable::bigint as avoidable,
        t.classified::bigint as classified
    from reasons as r
    inner join totals as t on r.service = t.service
)

select * from final
order by service asc, avoidable desc, reason asc
